package io.gatehouse.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.server.chain.ChainEntry;
import io.gatehouse.server.chain.FilterChain;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The admin listener ({@code admin.listen}): {@code GET /health} (the process is up),
 * {@code GET /ready} (accepting traffic; 503 while draining), {@code GET /chain} (the filters in
 * order) and {@code GET /stats} (exchanges in flight). Bind it to loopback or a private network.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpServer server;

    private AdminServer(HttpServer server) {
        this.server = server;
    }

    /**
     * @param address where to listen
     * @param chain the current chain
     * @param draining whether the proxy is shutting down
     * @param inFlight exchanges in flight
     * @return the running admin server
     * @throws IOException when the address cannot be bound
     */
    public static AdminServer start(InetSocketAddress address, Supplier<FilterChain> chain, BooleanSupplier draining,
                                    IntSupplier inFlight) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        server.createContext("/health", exchange -> reply(exchange, 200, "ok\n"));
        server.createContext("/ready", exchange -> {
            boolean ready = !draining.getAsBoolean();
            reply(exchange, ready ? 200 : 503, ready ? "ready\n" : "draining\n");
        });
        server.createContext("/chain", exchange -> {
            StringBuilder text = new StringBuilder();
            int i = 0;
            for (ChainEntry entry : chain.get().entries()) {
                text.append(i++).append(' ').append(entry.name()).append(" (").append(entry.type()).append(")\n");
            }
            reply(exchange, 200, text.length() == 0 ? "no filters: plain reverse proxy\n" : text.toString());
        });
        server.createContext("/stats", exchange -> reply(exchange, 200, "in_flight " + inFlight.getAsInt() + "\n"));
        server.createContext("/", exchange -> reply(exchange, 404, "not found: try /health, /ready, /chain, /stats\n"));
        server.start();
        return new AdminServer(server);
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
