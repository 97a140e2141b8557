package io.gatehouse.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's meters, always on: one Micrometer {@link PrometheusMeterRegistry} per server, the
 * per-exchange meters ({@link ExchangeMeters}), the per-filter meters ({@link FilterMeters},
 * created by the chain builder) and the gauges of the engine. The admin listener serves {@link
 * #scrape()} at {@code GET /metrics}. Thread-safe.
 */
public final class ServerMetrics {

    /** The content type of {@link #scrape()}: Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final ExchangeMeters exchanges;

    /** A fresh registry with no meters yet but the per-exchange ones, created as exchanges end. */
    public ServerMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.exchanges = new ExchangeMeters(registry);
    }

    /** @return the registry every meter of this server lives in */
    public MeterRegistry registry() {
        return registry;
    }

    /** @return the meters recorded once per exchange */
    public ExchangeMeters exchanges() {
        return exchanges;
    }

    /**
     * Registers the engine's gauges: exchanges in flight, client connections, pooled origin connections.
     *
     * @param inFlight exchanges in flight
     * @param connectionsOpen client connections open
     * @param connectionsAsleep of those, idle long enough to have dropped their buffers
     * @param connectionsRefused client connections refused over the limit since start
     * @param upstreamLeased origin connections in use
     * @param upstreamIdle origin connections idle in the pools
     */
    public void bindEngine(IntSupplier inFlight, IntSupplier connectionsOpen, IntSupplier connectionsAsleep,
                           LongSupplier connectionsRefused, IntSupplier upstreamLeased, IntSupplier upstreamIdle) {
        Gauge.builder("gatehouse.exchanges.in.flight", inFlight::getAsInt)
                .description("Exchanges between request head and outcome").register(registry);
        Gauge.builder("gatehouse.client.connections", connectionsOpen::getAsInt).tag("state", "open")
                .description("Client connections open").register(registry);
        Gauge.builder("gatehouse.client.connections", connectionsAsleep::getAsInt).tag("state", "asleep")
                .description("Client connections open").register(registry);
        FunctionCounter.builder("gatehouse.client.connections.refused", connectionsRefused,
                        supplier -> supplier.getAsLong())
                .description("Client connections refused over server.limits.connections").register(registry);
        Gauge.builder("gatehouse.upstream.connections", upstreamLeased::getAsInt).tag("state", "leased")
                .description("Pooled origin connections").register(registry);
        Gauge.builder("gatehouse.upstream.connections", upstreamIdle::getAsInt).tag("state", "idle")
                .description("Pooled origin connections").register(registry);
    }

    /**
     * Registers the gauge of open WebSocket tunnels and the counters of the bytes they relayed.
     *
     * @param tunnelsOpen tunnels open now, handshakes in progress included
     * @param toOrigin bytes written to origins since start
     * @param toClient bytes written to clients since start
     */
    public void bindTunnels(IntSupplier tunnelsOpen, LongSupplier toOrigin, LongSupplier toClient) {
        Gauge.builder("gatehouse.tunnels.open", tunnelsOpen::getAsInt)
                .description("WebSocket tunnels open, handshakes in progress included").register(registry);
        FunctionCounter.builder("gatehouse.tunnel.bytes", toOrigin, LongSupplier::getAsLong).tag("direction", "to_origin")
                .baseUnit("bytes").description("Bytes relayed through WebSocket tunnels (heads included)").register(registry);
        FunctionCounter.builder("gatehouse.tunnel.bytes", toClient, LongSupplier::getAsLong).tag("direction", "to_client")
                .baseUnit("bytes").description("Bytes relayed through WebSocket tunnels (heads included)").register(registry);
    }

    /** @return every meter in Prometheus text exposition format ({@link #CONTENT_TYPE}) */
    public String scrape() {
        return registry.scrape(CONTENT_TYPE);
    }
}
