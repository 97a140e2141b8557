package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.AttemptResult;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.UpstreamSelector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The balancer's choices for one exchange: picks an endpoint per attempt (another one than
 * before on a retry, when there is another), keeps the endpoint's in-flight count, and feeds
 * attempt results into the latency estimate and the outlier detection: failed connections,
 * resets and timeouts count as errors, 5xx answers only with {@code count-5xx}, any other answer
 * resets the count. Used by one exchange at a time.
 */
final class ExchangeSelector implements UpstreamSelector {

    private final Cluster cluster;
    private final Optional<String> sticky;
    private final List<Endpoint> tried = new ArrayList<>(2);
    private Endpoint current;
    private Endpoint served;
    private boolean endpointLimitHit;
    private boolean pendingAttempt;
    private int retries;

    /**
     * @param cluster the exchange's cluster
     * @param sticky the sticky cookie's value as the client sent it, or empty
     */
    ExchangeSelector(Cluster cluster, Optional<String> sticky) {
        this.cluster = cluster;
        this.sticky = sticky;
    }

    @Override
    public Optional<Upstream> select(Exchange exchange, int attempt) {
        long now = System.nanoTime();
        List<Endpoint> candidates = cluster.candidates(now);
        int limit = cluster.spec().maxConnectionsPerEndpoint();
        if (limit > 0 && candidates.removeIf(e -> e.inFlight() >= limit)) {
            endpointLimitHit = candidates.isEmpty();
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        if (!cluster.startPending()) {
            endpointLimitHit = true;
            return Optional.empty();
        }
        pendingAttempt = true;
        if (candidates.size() > tried.size()) {
            candidates.removeAll(tried); // a retry goes elsewhere when it can
        }
        Endpoint chosen = sticky.flatMap(value -> cluster.byStickyValue(value, candidates))
                .orElseGet(() -> cluster.picker().pick(candidates, exchange));
        chosen.requestStarted();
        current = chosen;
        tried.add(chosen);
        return Optional.of(chosen.upstream());
    }

    @Override
    public void onConnected(Upstream upstream) {
        endPending();
    }

    private void endPending() {
        if (pendingAttempt) {
            pendingAttempt = false;
            cluster.connected();
        }
    }

    @Override
    public void onAttemptResult(Upstream upstream, AttemptResult result) {
        endPending();
        Endpoint endpoint = current;
        if (endpoint == null || !endpoint.upstream().equals(upstream)) {
            return;
        }
        long now = System.nanoTime();
        if (result.staleConnection()) { // the origin had closed the pooled connection: not its failure
            endpoint.requestEnded();
            current = null;
            return;
        }
        boolean error = result.kind() != AttemptResult.Kind.RESPONSE
                || result.status() >= 500 && cluster.spec().outlier().count5xx(); // a client can provoke a 5xx
        if (error) {
            cluster.maybeEject(endpoint, endpoint.recordError(), now);
        } else {
            endpoint.recordSuccess();
        }
        if (result.kind() == AttemptResult.Kind.RESPONSE) {
            endpoint.recordLatency(result.timeToFirstByteNanos(), now, Cluster.EWMA_DECAY_NANOS);
            served = endpoint;
        } else {
            endpoint.recordLatency(result.timeToFirstByteNanos(), now, Cluster.EWMA_DECAY_NANOS);
            endpoint.requestEnded();
            current = null;
        }
    }

    @Override
    public Optional<Duration> retry(Exchange exchange, int attempt, AttemptResult result) {
        RetryPolicy policy = cluster.spec().retries();
        if (attempt > policy.attempts() || !policy.covers(result) || !cluster.tryRetry()) {
            return Optional.empty();
        }
        retries++;
        if (current != null) { // a response that is retried: that endpoint's request is over
            current.requestEnded();
            current = null;
        }
        return Optional.of(policy.delay(retries));
    }

    /** The core's retry after a stale pooled connection counts against the cluster's retry budget. */
    @Override
    public boolean retryStaleConnection(Exchange exchange, int attempt) {
        if (!cluster.tryRetry()) {
            return false;
        }
        retries++;
        return true;
    }

    @Override
    public int replayBufferSize() {
        return cluster.spec().retries().replayBody();
    }

    /** The exchange is over: the endpoint's request is no longer in flight, nor are its retries. */
    void finish() {
        endPending();
        if (current != null) {
            current.requestEnded();
            current = null;
        }
        cluster.retriesEnded(retries);
        retries = 0;
    }

    /** @return the endpoint whose response the client got, if any */
    Optional<Endpoint> served() {
        return Optional.ofNullable(served);
    }

    /** @return whether the request was refused by a breaker limit (pending, or connections per endpoint) */
    boolean endpointLimitHit() {
        return endpointLimitHit;
    }

    Cluster cluster() {
        return cluster;
    }
}
