package io.gatehouse.server.metrics;

import io.gatehouse.api.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters recorded once per exchange, from its {@link Outcome}: requests by route, cluster,
 * status class and outcome; total and upstream latency; body bytes each way; upstream attempts
 * and retries. Meters are resolved once per (route, cluster) and kept, so recording is two map
 * lookups and no allocation. Route and cluster names come from the configuration (filters set
 * them from their config); past {@value #MAX_PAIRS} pairs, further ones share the tag value
 * {@code other}, so the number of series stays bounded whatever a filter does. Thread-safe.
 */
public final class ExchangeMeters {

    /** The tag value of a route or cluster that was not chosen. */
    public static final String NONE = "none";
    /** The tag value of route and cluster past {@value #MAX_PAIRS} pairs. */
    public static final String OTHER = "other";
    /** How many (route, cluster) pairs get their own series. */
    static final int MAX_PAIRS = 1_000;

    /** Latency buckets of the request and upstream timers (seconds: 1 ms … 10 s). */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final MeterRegistry registry;
    private final Map<String, Map<String, RouteMeters>> byRoute = new ConcurrentHashMap<>();
    private final AtomicInteger pairs = new AtomicInteger();
    private volatile RouteMeters other;

    ExchangeMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Records one ended exchange.
     *
     * @param outcome how it ended
     */
    public void record(Outcome outcome) {
        meters(outcome.route(), outcome.cluster()).record(outcome);
    }

    private RouteMeters meters(Optional<String> route, Optional<String> cluster) {
        String routeName = route.orElse(NONE);
        String clusterName = cluster.orElse(NONE);
        Map<String, RouteMeters> clusters = byRoute.get(routeName);
        if (clusters != null) {
            RouteMeters meters = clusters.get(clusterName);
            if (meters != null) {
                return meters;
            }
        }
        return create(routeName, clusterName);
    }

    private RouteMeters create(String route, String cluster) {
        if (pairs.get() >= MAX_PAIRS) {
            RouteMeters shared = other;
            if (shared == null) {
                shared = new RouteMeters(registry, OTHER, OTHER);
                other = shared;
            }
            return shared;
        }
        return byRoute.computeIfAbsent(route, r -> new ConcurrentHashMap<>()).computeIfAbsent(cluster, c -> {
            pairs.incrementAndGet();
            return new RouteMeters(registry, route, cluster);
        });
    }

    /** The meters of one (route, cluster) pair; the request counters are created on first use. */
    private static final class RouteMeters {

        private final MeterRegistry registry;
        private final String route;
        private final String cluster;
        private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(STATUS_CLASSES.length * 2);
        private final Timer duration;
        private final Timer upstream;
        private final Counter requestBytes;
        private final Counter responseBytes;
        private final Counter attempts;
        private final Counter retries;

        RouteMeters(MeterRegistry registry, String route, String cluster) {
            this.registry = registry;
            this.route = route;
            this.cluster = cluster;
            this.duration = Timer.builder("gatehouse.request.duration").tags("route", route, "cluster", cluster)
                    .description("From the client's request head to the exchange's end").serviceLevelObjectives(BUCKETS)
                    .register(registry);
            this.upstream = Timer.builder("gatehouse.upstream.duration").tags("route", route, "cluster", cluster)
                    .description("From the last attempt's start to the origin's response head (connecting included)")
                    .serviceLevelObjectives(BUCKETS).register(registry);
            this.requestBytes = Counter.builder("gatehouse.request.body.bytes").tags("route", route, "cluster", cluster)
                    .description("Request body bytes received from clients").register(registry);
            this.responseBytes = Counter.builder("gatehouse.response.body.bytes").tags("route", route, "cluster", cluster)
                    .description("Response body bytes sent to clients").register(registry);
            this.attempts = Counter.builder("gatehouse.upstream.attempts").tags("route", route, "cluster", cluster)
                    .description("Attempts to reach an upstream, retries included").register(registry);
            this.retries = Counter.builder("gatehouse.upstream.retries").tags("route", route, "cluster", cluster)
                    .description("Attempts after the first").register(registry);
        }

        void record(Outcome outcome) {
            int status = outcome.status();
            int statusClass = status >= 100 && status < 600 ? status / 100 : 0;
            int slot = statusClass * 2 + (outcome.kind() == Outcome.Kind.COMPLETED ? 0 : 1);
            Counter counter = requests.get(slot);
            if (counter == null) {
                counter = Counter.builder("gatehouse.requests").tags("route", route, "cluster", cluster,
                                "status_class", STATUS_CLASSES[statusClass], "outcome", slot % 2 == 0 ? "completed" : "aborted")
                        .description("Exchanges ended").register(registry);
                requests.set(slot, counter);
            }
            counter.increment();
            duration.record(outcome.durationNanos(), TimeUnit.NANOSECONDS);
            Optional<Duration> upstreamTime = outcome.upstreamTime();
            if (upstreamTime.isPresent()) {
                upstream.record(upstreamTime.get());
            }
            long in = outcome.requestBodyBytes();
            if (in > 0) {
                requestBytes.increment(in);
            }
            long out = outcome.responseBodyBytes();
            if (out > 0) {
                responseBytes.increment(out);
            }
            int tries = outcome.attempts();
            if (tries > 0) {
                attempts.increment(tries);
                if (tries > 1) {
                    retries.increment(tries - 1);
                }
            }
        }
    }
}
