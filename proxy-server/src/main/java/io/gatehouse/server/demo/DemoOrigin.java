package io.gatehouse.server.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small built-in origin for trying Gatehouse out ({@code demo.listen}): {@code /} says hello,
 * {@code /echo} answers with what it received. Not meant for production traffic.
 */
public final class DemoOrigin implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private DemoOrigin(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts the demo origin.
     *
     * @param address where to listen
     * @return the running origin
     * @throws IOException when the address cannot be bound
     */
    public static DemoOrigin start(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 128);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "demo-origin");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", DemoOrigin::handle);
        server.start();
        return new DemoOrigin(server, executor);
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long received;
            try (InputStream in = exchange.getRequestBody()) {
                received = in.transferTo(OutputStream.nullOutputStream());
            }
            String path = exchange.getRequestURI().getRawPath();
            StringBuilder body = new StringBuilder();
            if (path.startsWith("/echo")) {
                body.append(exchange.getRequestMethod()).append(' ').append(exchange.getRequestURI()).append('\n');
                Map<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                sorted.putAll(exchange.getRequestHeaders());
                sorted.forEach((name, values) -> values.forEach(v -> body.append(name).append(": ").append(v).append('\n')));
                body.append("body bytes: ").append(received).append('\n');
            } else {
                body.append("Hello from the Gatehouse demo origin.\n")
                        .append("You asked for ").append(exchange.getRequestMethod()).append(' ')
                        .append(exchange.getRequestURI()).append(" and Gatehouse proxied it here.\n")
                        .append("Try /echo to see the headers the proxy forwarded.\n");
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("X-Demo-Origin", "true");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
