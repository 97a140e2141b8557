package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.outbound.OutboundClient;
import io.gatehouse.api.outbound.OutboundConnectException;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.api.outbound.OutboundTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks: every {@code interval}, an HTTP GET of the probe path to each endpoint
 * of the clusters that configure one. Probes go through the server's outbound client
 * ({@code FilterContext.http()}), so they never run on, or wait for, the proxy's I/O threads and
 * share its bounded pool; only their verdicts reach the request path, as a flag per endpoint.
 */
final class HealthChecker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final OutboundClient client;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    /**
     * @param clusters the clusters; those without {@code health-check} are skipped
     * @param scheduler the server's timer, used only to start probes
     * @param client the server's outbound client, which sends the probes
     */
    HealthChecker(List<Cluster> clusters, ScheduledExecutorService scheduler, OutboundClient client) {
        this.client = client;
        for (Cluster cluster : clusters) {
            cluster.spec().healthCheck().ifPresent(check -> {
                long period = Math.max(1, check.interval().toMillis());
                tasks.add(scheduler.scheduleAtFixedRate(() -> probeAll(cluster, check), 0, period, TimeUnit.MILLISECONDS));
            });
        }
    }

    private void probeAll(Cluster cluster, ClusterSpec.HealthCheck check) {
        for (Endpoint endpoint : cluster.endpoints()) {
            probe(endpoint.upstream().httpScheme() + "://" + endpoint.upstream().authority() + check.path(), check).whenComplete((response, failure) -> {
                boolean passed = failure == null && check.passes(response.status());
                boolean changed = passed ? endpoint.probeSucceeded(check.healthyThreshold())
                        : endpoint.probeFailed(check.unhealthyThreshold());
                if (changed) {
                    LOG.warn("Cluster {}: endpoint {} is now {} by its health check ({})", cluster.name(), endpoint,
                            passed ? "healthy" : "unhealthy", failure != null ? describe(failure) : "status " + response.status());
                }
                if (passed && cluster.readmit(endpoint)) {
                    LOG.info("Cluster {}: endpoint {} passed its health check and is back in rotation before its ejection ran out",
                            cluster.name(), endpoint);
                }
            });
        }
    }

    /** A probe failure in words, without exception class names: {@code timed out after 1s}, {@code connection refused}. */
    static String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof OutboundTimeoutException) {
            return "no answer in time";
        }
        if (cause instanceof OutboundConnectException) {
            return "cannot connect" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? "failed" : message;
    }

    private CompletionStage<OutboundResponse> probe(String url, ClusterSpec.HealthCheck check) {
        OutboundRequest probe;
        try {
            probe = OutboundRequest.get(url).timeout(check.timeout()).header("User-Agent", "gatehouse-health-check").build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.send(probe);
    }

    @Override
    public void close() {
        tasks.forEach(task -> task.cancel(false));
    }
}
