package io.gatehouse.server.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small real origin for plugin tests: listens on an ephemeral loopback port, records every
 * request it receives, and answers each with the same configurable response (by default
 * {@code 200} and the body {@code origin saw METHOD TARGET}).
 */
public final class SimpleOrigin implements AutoCloseable {

    /**
     * One request as the origin received it.
     *
     * @param method the method
     * @param target the request target (path and query)
     * @param headers the header fields, names in lower case
     * @param body the body, decoded as UTF-8
     */
    public record ReceivedRequest(String method, String target, Map<String, List<String>> headers, String body) {

        /**
         * @param name a header name, any case
         * @return its first value, or empty
         */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    static {
        // The JDK server writes head and body separately; without TCP_NODELAY, Nagle's algorithm
        // and the client's delayed ACK hold every small answer back by ~40 ms. Read once, when
        // the JVM's first HttpServer starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "simple-origin");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ReceivedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body;

    private SimpleOrigin(HttpServer server) {
        this.server = server;
    }

    /** @return a running origin on an ephemeral loopback port */
    public static SimpleOrigin start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            SimpleOrigin origin = new SimpleOrigin(server);
            server.createContext("/", origin::handle);
            server.setExecutor(origin.executor);
            server.start();
            return origin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Changes the answer to every later request.
     *
     * @param newStatus the status
     * @param newBody the body (UTF-8 text)
     * @return this
     */
    public SimpleOrigin respond(int newStatus, String newBody) {
        this.status = newStatus;
        this.body = newBody;
        return this;
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:41234} */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return every request received so far, in order */
    public List<ReceivedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * @return the most recent request
     * @throws IllegalStateException if none arrived
     */
    public ReceivedRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new IllegalStateException("the origin has received no request");
        }
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            String received = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            requests.add(new ReceivedRequest(exchange.getRequestMethod(), target, Map.copyOf(headers), received));
            String text = body != null ? body : "origin saw " + exchange.getRequestMethod() + " " + target;
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
