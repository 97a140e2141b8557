package io.gatehouse.plugins.cache;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A real origin whose answers a test scripts, counting the requests that reach it. */
final class CountingOrigin implements AutoCloseable {

    /**
     * @param status the status
     * @param headers response headers
     * @param body the body
     */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();
    private volatile Function<HttpExchange, Answer> script;

    private CountingOrigin(HttpServer server) {
        this.server = server;
    }

    static CountingOrigin start(Function<HttpExchange, Answer> script) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            CountingOrigin origin = new CountingOrigin(server);
            origin.script = script;
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", origin::handle);
            server.start();
            return origin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            hits.incrementAndGet();
            requests.add(Map.copyOf(exchange.getRequestHeaders()));
            Answer answer = script.apply(exchange);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            boolean noBody = answer.status() == 304 || answer.status() == 204 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(answer.status(), noBody ? -1 : body.length == 0 ? -1 : body.length);
            if (!noBody && body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    void script(Function<HttpExchange, Answer> next) {
        this.script = next;
    }

    int hits() {
        return hits.get();
    }

    /** @return the request headers of every request, in order (names as the JDK server capitalises them) */
    List<Map<String, List<String>>> requests() {
        return List.copyOf(requests);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
