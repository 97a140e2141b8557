package io.gatehouse.plugins.loadbalancer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A real origin for balancing tests: answers {@code NAME} to every request and {@code 200} or
 * {@code 503} to its health probe ({@code /healthz}); can be slowed down, held, stopped and
 * started again on the same port.
 */
final class ControlledOrigin implements AutoCloseable {

    private final String name;
    private final int port;
    private final AtomicInteger served = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "origin");
        thread.setDaemon(true);
        return thread;
    });
    private volatile HttpServer server;
    private volatile long delayMillis;
    private volatile int healthStatus = 200;
    private volatile int status = 200;
    private final java.util.List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final ReadWriteLock responding = new ReentrantReadWriteLock();

    private ControlledOrigin(String name, int port) {
        this.name = name;
        this.port = port;
    }

    static ControlledOrigin start(String name) {
        ControlledOrigin origin = new ControlledOrigin(name, 0);
        origin.bind(0);
        return origin;
    }

    private void bind(int requestedPort) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 128);
            created.createContext("/", this::handle);
            created.setExecutor(executor);
            created.start();
            server = created;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String received = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (exchange.getRequestURI().getPath().equals("/healthz")) {
                exchange.sendResponseHeaders(healthStatus, -1);
                return;
            }
            served.incrementAndGet();
            bodies.add(received);
            try {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis); // the origin's own slowness, not test synchronisation
                }
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            // a whole response or none: kill() never cuts one between its head and its body
            responding.readLock().lock();
            try {
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            } finally {
                responding.readLock().unlock();
            }
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int served() {
        return served.get();
    }

    void delay(long millis) {
        this.delayMillis = millis;
    }

    void health(int probeStatus) {
        this.healthStatus = probeStatus;
    }

    /** Answers every request (but the health probe) with this status. */
    void answer(int answerStatus) {
        this.status = answerStatus;
    }

    /** @return the bodies of the requests served, in order */
    java.util.List<String> bodies() {
        return java.util.List.copyOf(bodies);
    }

    /** @return a latch that holds every request until counted down */
    CountDownLatch hold() {
        CountDownLatch latch = new CountDownLatch(1);
        hold = latch;
        return latch;
    }

    /** Closes the listening socket: connections are refused. */
    void kill() {
        responding.writeLock().lock();
        try {
            server.stop(0);
        } finally {
            responding.writeLock().unlock();
        }
    }

    /** Listens again on the same port. */
    void revive(int samePort) {
        bind(samePort);
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
