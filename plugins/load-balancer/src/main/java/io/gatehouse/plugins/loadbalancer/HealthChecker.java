package io.gatehouse.plugins.loadbalancer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks: every {@code interval}, an HTTP GET of the probe path to each endpoint
 * of the clusters that configure one. Probes are asynchronous (the JDK's HTTP client on its own
 * daemon threads), so they never run on, or wait for, the proxy's I/O threads; only their
 * verdicts reach the request path, as a flag per endpoint.
 */
final class HealthChecker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    // bounded: the client's completions need a thread only briefly; requests wait on the wire, not on threads
    private final ExecutorService probeThreads = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "gatehouse-health-check");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(probeThreads).build();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    /**
     * @param clusters the clusters; those without {@code health-check} are skipped
     * @param scheduler the server's timer, used only to start probes
     */
    HealthChecker(List<Cluster> clusters, ScheduledExecutorService scheduler) {
        for (Cluster cluster : clusters) {
            cluster.spec().healthCheck().ifPresent(check -> {
                long period = Math.max(1, check.interval().toMillis());
                tasks.add(scheduler.scheduleAtFixedRate(() -> probeAll(cluster, check), 0, period, TimeUnit.MILLISECONDS));
            });
        }
    }

    private void probeAll(Cluster cluster, ClusterSpec.HealthCheck check) {
        for (Endpoint endpoint : cluster.endpoints()) {
            HttpRequest probe = HttpRequest.newBuilder(URI.create(endpoint.upstream() + check.path()))
                    .timeout(check.timeout())
                    .header("User-Agent", "gatehouse-health-check")
                    .GET().build();
            client.sendAsync(probe, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                boolean passed = failure == null && check.passes(response.statusCode());
                boolean changed = passed ? endpoint.probeSucceeded(check.healthyThreshold())
                        : endpoint.probeFailed(check.unhealthyThreshold());
                if (changed) {
                    LOG.warn("Cluster {}: endpoint {} is now {} ({})", cluster.name(), endpoint, passed ? "healthy" : "unhealthy",
                            failure != null ? failure.toString() : "status " + response.statusCode());
                }
            });
        }
    }

    @Override
    public void close() {
        tasks.forEach(task -> task.cancel(false));
        probeThreads.shutdownNow();
    }
}
