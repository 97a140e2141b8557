package io.gatehouse.plugins.loadbalancer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster at run time: its endpoints with their state, its policy, and its circuit breaker.
 * Shared by every exchange; all state is atomic.
 */
final class Cluster {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    /** Latency estimates forget a slow past with this time constant. */
    static final long EWMA_DECAY_NANOS = Duration.ofSeconds(10).toNanos();

    private final ClusterSpec spec;
    private final List<Endpoint> endpoints;
    private final Picker picker;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    /** Endpoints holding an ejection (in force or run out but not yet ended), plus ejections being made. */
    private final AtomicInteger ejected = new AtomicInteger();
    private final int maxEjected;
    private final Optional<StickyValues> stickyValues;

    Cluster(ClusterSpec spec) {
        this.spec = spec;
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < spec.endpoints().size(); i++) {
            ClusterSpec.EndpointSpec e = spec.endpoints().get(i);
            list.add(new Endpoint(e.upstream(), e.weight(), i));
        }
        this.endpoints = List.copyOf(list);
        this.maxEjected = spec.outlier().maxEjected(endpoints.size());
        this.stickyValues = spec.sticky().map(sticky -> new StickyValues(spec.name(), endpoints,
                sticky.secret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElseGet(StickyValues::generatedSecret)));
        this.picker = switch (spec.policy()) {
            case ROUND_ROBIN -> new SmoothWeightedRoundRobin();
            case RANDOM -> new WeightedRandom();
            case LEAST_REQUEST -> PowerOfTwoChoices.leastRequest();
            case PEAK_EWMA -> PowerOfTwoChoices.peakEwma();
            case CONSISTENT_HASH -> new ConsistentHash(endpoints, spec.hashKey().orElseThrow());
        };
    }

    String name() {
        return spec.name();
    }

    ClusterSpec spec() {
        return spec;
    }

    List<Endpoint> endpoints() {
        return endpoints;
    }

    Picker picker() {
        return picker;
    }

    /**
     * The endpoints a request may go to now: the available ones (healthy, not ejected), or all of
     * them in panic (fewer than {@code panic-threshold} percent available, but some). Empty when
     * none is available: the request then gets 503 at once rather than a doomed attempt. A new
     * list each time, which the caller may narrow further.
     */
    List<Endpoint> candidates(long nowNanos) {
        List<Endpoint> available = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            if (e.isAvailable(nowNanos)) {
                available.add(e);
            }
        }
        if (!available.isEmpty() && available.size() * 100 < spec.panicPercent() * endpoints.size()) {
            return new ArrayList<>(endpoints);
        }
        return available;
    }

    /** @return whether a new request may enter (counted until {@link #leave}) */
    boolean enter() {
        int active = activeRequests.incrementAndGet();
        if (spec.maxRequests() > 0 && active > spec.maxRequests()) {
            activeRequests.decrementAndGet();
            return false;
        }
        return true;
    }

    void leave() {
        activeRequests.decrementAndGet();
    }

    /** @return whether one more attempt may wait for a connection (then {@link #connected} must follow) */
    boolean startPending() {
        int now = pending.incrementAndGet();
        if (spec.maxPending() > 0 && now > spec.maxPending()) {
            pending.decrementAndGet();
            return false;
        }
        return true;
    }

    void connected() {
        pending.decrementAndGet();
    }

    int activeRequests() {
        return activeRequests.get();
    }

    /**
     * Takes one retry from the budget: retries in flight stay under {@code budget-percent} of the
     * active requests (or {@code min-retries}), so that a failing cluster is not hit by a retry storm.
     *
     * @return whether the retry may go ahead (then {@link #retriesEnded} must follow)
     */
    boolean tryRetry() {
        RetryPolicy policy = spec.retries();
        int allowed = Math.max(policy.minRetries(), (int) (activeRequests.get() * policy.budgetPercent() / 100));
        if (activeRetries.incrementAndGet() > allowed) {
            activeRetries.decrementAndGet();
            return false;
        }
        return true;
    }

    void retriesEnded(int count) {
        activeRetries.addAndGet(-count);
    }

    /**
     * Ejects {@code endpoint} after repeated errors, unless the cluster already has its share
     * ejected ({@link ClusterSpec.Outlier#maxEjected}: never all of it) or no other endpoint is
     * available. Safe under concurrency: a slot of the share is taken by CAS before the endpoint is
     * ejected, so concurrent calls never exceed the share.
     */
    void maybeEject(Endpoint endpoint, int consecutiveErrors, long nowNanos) {
        ClusterSpec.Outlier outlier = spec.outlier();
        if (outlier.consecutiveErrors() <= 0 || consecutiveErrors < outlier.consecutiveErrors() || endpoint.isEjected(nowNanos)) {
            return;
        }
        for (Endpoint e : endpoints) {
            if (e.endEjection(nowNanos)) {
                ejected.decrementAndGet(); // run out: its slot is free again
            }
        }
        if (!anotherAvailable(endpoint, nowNanos)) {
            return; // the last one standing stays selectable
        }
        while (true) {
            int now = ejected.get();
            if (now + 1 > maxEjected) {
                return;
            }
            if (ejected.compareAndSet(now, now + 1)) {
                break;
            }
        }
        long duration = endpoint.tryEject(nowNanos, outlier.baseEjection().toNanos(), outlier.maxEjection().toNanos());
        if (duration == 0) {
            ejected.decrementAndGet(); // another thread ejected it first
            return;
        }
        LOG.warn("Cluster {}: endpoint {} ejected for {} ms after {} errors in a row", spec.name(), endpoint,
                duration / 1_000_000, consecutiveErrors);
    }

    /**
     * The endpoint's active health check passed: an outlier ejection it holds ends now rather than
     * when its time runs out, and its slot of the ejection share is free again.
     *
     * @return whether it was ejected
     */
    boolean readmit(Endpoint endpoint) {
        if (!endpoint.endEjectionNow()) {
            return false;
        }
        ejected.decrementAndGet();
        return true;
    }

    private boolean anotherAvailable(Endpoint endpoint, long nowNanos) {
        for (Endpoint e : endpoints) {
            if (e != endpoint && e.isAvailable(nowNanos)) {
                return true;
            }
        }
        return false;
    }

    /** @return the cluster's state for the admin {@code /status} endpoint */
    String status(long nowNanos) {
        StringBuilder text = new StringBuilder();
        text.append("cluster ").append(spec.name()).append(": ").append(spec.policy().configName)
                .append(", active requests ").append(activeRequests.get())
                .append(spec.maxRequests() > 0 ? " of " + spec.maxRequests() : "")
                .append(", pending ").append(pending.get())
                .append(", retries in flight ").append(activeRetries.get()).append('\n');
        for (Endpoint e : endpoints) {
            text.append("  ").append(e).append(" weight ").append(e.weight())
                    .append(e.isHealthy() ? " healthy" : " unhealthy")
                    .append(e.isEjected(nowNanos) ? " ejected" : "")
                    .append(" in-flight ").append(e.inFlight())
                    .append(" latency ").append(e.latencyNanos() > 0
                            ? String.format(Locale.ROOT, "%.1fms", e.latencyNanos() / 1e6) : "-")
                    .append(" ejections ").append(e.ejections()).append('\n');
        }
        return text.toString();
    }

    /**
     * @param cookie a sticky cookie's value as the client sent it
     * @param candidates the endpoints the request may go to now
     * @return the candidate it was issued for, empty when it names none or is not genuine
     */
    Optional<Endpoint> byStickyValue(String cookie, List<Endpoint> candidates) {
        return stickyValues.flatMap(values -> values.endpointOf(cookie, candidates));
    }

    /**
     * @param endpoint one of this cluster's endpoints
     * @return the signed sticky-cookie value that pins to it
     * @throws java.util.NoSuchElementException when the cluster is not sticky
     */
    String stickyValue(Endpoint endpoint) {
        return stickyValues.orElseThrow().valueOf(endpoint);
    }
}
