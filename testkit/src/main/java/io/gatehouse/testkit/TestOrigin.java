package io.gatehouse.testkit;

import io.gatehouse.api.HttpFields;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real HTTP/1.1 origin for integration tests, on an ephemeral loopback port: scripted per
 * path, recording every request with its body, counting connections, and able to be killed and
 * revived on the same port. It answers with keep-alive connections, one thread per connection.
 *
 * <pre>{@code
 * try (TestOrigin origin = TestOrigin.start()) {              // 200 "origin saw GET /path" to everything
 *     origin.answer("/healthz", Reply.status(503));
 *     origin.answer("/api/*", request -> Reply.ok("echo " + request.bodyText()));
 *     ...
 *     assertEquals("X-Team", origin.lastRequest().header("X-Team").orElseThrow());
 * }
 * }</pre>
 *
 * <p>A request is recorded once its head and body were read, before its reply's delay or hold,
 * so a test can wait for it ({@link #awaitRequests}) and then release it.
 *
 * @since 0.2
 */
public final class TestOrigin implements AutoCloseable {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final RequestLog log = new RequestLog();
    private final ReadWriteLock responding = new ReentrantReadWriteLock();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final int port;
    private volatile OriginScripts scripts;
    private volatile ServerSocket listener;

    private TestOrigin(ServerSocket listener, OriginScripts scripts) {
        this.listener = listener;
        this.port = listener.getLocalPort();
        this.scripts = scripts;
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "test-origin-" + port);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @return a running origin that answers {@code 200} and {@code origin saw METHOD TARGET} to every request */
    public static TestOrigin start() {
        return start(OriginScripts.Script.of(request -> Reply.ok("origin saw " + request.method() + " " + request.target())));
    }

    /**
     * @param reply the answer to every request (until scripted otherwise)
     * @return a running origin
     */
    public static TestOrigin start(Reply reply) {
        return start(OriginScripts.Script.of(reply));
    }

    /**
     * @param script computes the answer to every request (until scripted otherwise)
     * @return a running origin
     */
    public static TestOrigin start(Function<ReceivedRequest, Reply> script) {
        return start(OriginScripts.Script.of(script));
    }

    private static TestOrigin start(OriginScripts.Script fallback) {
        TestOrigin origin = new TestOrigin(bind(0), OriginScripts.of(fallback));
        origin.accept(origin.listener);
        return origin;
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + port, e);
        }
    }

    // ------------------------------------------------------------------ scripting

    /**
     * Answers every request that no path script matches with {@code reply}.
     *
     * @param reply the answer
     * @return this
     */
    public TestOrigin answer(Reply reply) {
        return rescript(scripts -> scripts.withDefault(OriginScripts.Script.of(reply)));
    }

    /**
     * Answers every request that no path script matches with what {@code script} computes from it.
     *
     * @param script computes the answer; runs on the connection's thread and may block
     * @return this
     */
    public TestOrigin answer(Function<ReceivedRequest, Reply> script) {
        return rescript(scripts -> scripts.withDefault(OriginScripts.Script.of(script)));
    }

    /**
     * Answers requests for {@code path} with {@code reply}.
     *
     * @param path an exact path such as {@code /healthz} (the query is not compared), or a prefix
     *     ending in {@code /*} such as {@code /img/*}; exact paths win, then the longest prefix
     * @param reply the answer
     * @return this
     */
    public TestOrigin answer(String path, Reply reply) {
        return rescript(scripts -> scripts.with(path, OriginScripts.Script.of(reply)));
    }

    /**
     * Answers requests for {@code path} with what {@code script} computes from each.
     *
     * @param path as for {@link #answer(String, Reply)}
     * @param script computes the answer; runs on the connection's thread and may block
     * @return this
     */
    public TestOrigin answer(String path, Function<ReceivedRequest, Reply> script) {
        return rescript(scripts -> scripts.with(path, OriginScripts.Script.of(script)));
    }

    private synchronized TestOrigin rescript(Function<OriginScripts, OriginScripts> change) {
        scripts = change.apply(scripts);
        return this;
    }

    // ------------------------------------------------------------------ where

    /** @return the port, the same after {@link #revive} */
    public int port() {
        return port;
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:41234} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * @param pathAndQuery such as {@code /a?b=c}
     * @return the URI of that path on this origin
     */
    public URI uri(String pathAndQuery) {
        return URI.create(url() + pathAndQuery);
    }

    // ------------------------------------------------------------------ what arrived

    /** @return every request received so far, in order of arrival */
    public List<ReceivedRequest> requests() {
        return log.matching(request -> true);
    }

    /**
     * @param path an exact path (the query is not compared)
     * @return the requests for it, in order
     */
    public List<ReceivedRequest> requests(String path) {
        return log.matching(request -> request.path().equals(path));
    }

    /** @return how many requests arrived */
    public int requestCount() {
        return log.count(request -> true);
    }

    /**
     * @param path an exact path (the query is not compared)
     * @return how many requests for it arrived
     */
    public int requestCount(String path) {
        return log.count(request -> request.path().equals(path));
    }

    /**
     * @param which which requests to count, e.g. {@code r -> !r.path().equals("/healthz")}
     * @return how many of them arrived
     */
    public int requestCount(Predicate<ReceivedRequest> which) {
        return log.count(which);
    }

    /**
     * @return the most recent request
     * @throws IllegalStateException when none arrived
     */
    public ReceivedRequest lastRequest() {
        return log.last();
    }

    /**
     * Waits until at least {@code count} requests have arrived in total.
     *
     * @param count how many
     * @param timeout the longest wait
     * @return the first {@code count} requests
     * @throws AssertionError when they do not arrive in time
     */
    public List<ReceivedRequest> awaitRequests(int count, Duration timeout) {
        return log.await(count, timeout);
    }

    /** @return connections accepted so far, also before a {@link #kill} */
    public int connectionsAccepted() {
        return connections.get();
    }

    // ------------------------------------------------------------------ life

    /**
     * Stops listening (new connections are refused) and closes every connection. A response
     * being written is finished first, so the proxy sees whole responses or none.
     */
    public void kill() {
        responding.writeLock().lock();
        try {
            closeQuietly(listener);
            for (Socket socket : open) {
                closeQuietly(socket);
            }
        } finally {
            responding.writeLock().unlock();
        }
    }

    /** Listens again on the same port after {@link #kill}. */
    public void revive() {
        if (closing.getCount() == 0) {
            throw new IllegalStateException("the origin is closed");
        }
        if (!listener.isClosed()) {
            throw new IllegalStateException("the origin is running: kill() it first");
        }
        listener = bind(port);
        accept(listener);
    }

    /** Stops listening, closes every connection and ends held and delayed replies. */
    @Override
    public void close() {
        closing.countDown();
        kill();
        threads.shutdownNow();
        try {
            threads.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TestOrigin[" + url() + ", " + requestCount() + " requests]";
    }

    // ------------------------------------------------------------------ serving

    private void accept(ServerSocket socket) {
        threads.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    int number = connections.incrementAndGet();
                    open.add(connection);
                    if (socket.isClosed()) {
                        closeQuietly(connection);
                        return;
                    }
                    threads.execute(() -> serve(connection, number));
                } catch (IOException e) {
                    return; // killed or closed
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return; // closed
                }
            }
        });
    }

    private void serve(Socket socket, int connection) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            boolean keepAlive = true;
            while (keepAlive) {
                Optional<RequestHeadText> head = RequestHeadText.read(in);
                if (head.isEmpty()) {
                    return;
                }
                keepAlive = exchange(socket, connection, head.get(), in, out);
            }
        } catch (IOException e) {
            // the peer went away, the origin was killed, or a reply dropped the connection
        } finally {
            open.remove(socket);
        }
    }

    /** @return whether the connection stays open for another request */
    private boolean exchange(Socket socket, int connection, RequestHeadText head, InputStream in, OutputStream out) throws IOException {
        OriginScripts.Script script = scripts.lookup(head.path());
        if (script.rawBeforeBody()) {
            ReceivedRequest request = log.add(number -> new ReceivedRequest(number, connection, head, new byte[0], 0, HttpFields.empty()));
            if (!waitBeforeAnswering(script.fixed().orElseThrow())) {
                return false;
            }
            answerRaw(script.fixed().orElseThrow(), request, BodyInput.of(head, in), in, out);
            return false;
        }
        if (head.expectsContinue()) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        BodyInput body = BodyInput.of(head, in);
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long length = body.readAll(ReceivedRequest.RECORDED_BODY_LIMIT, kept);
        ReceivedRequest request = log.add(number -> new ReceivedRequest(number, connection, head, kept.toByteArray(), length,
                body.trailers()));
        Reply reply;
        try {
            reply = script.replyTo(request);
        } catch (RuntimeException e) {
            reply = Reply.text(500, "the test origin's script failed: " + e).closeConnection();
        }
        return answer(socket, reply, request, head, in, out);
    }

    private boolean answer(Socket socket, Reply reply, ReceivedRequest request, RequestHeadText head, InputStream in,
                           OutputStream out) throws IOException {
        if (!waitBeforeAnswering(reply)) {
            return false;
        }
        switch (reply.ending()) {
            case DROP:
                return false;
            case RESET:
                socket.setSoLinger(true, 0);
                return false;
            default:
                break;
        }
        if (reply.rawHandler().isPresent()) {
            answerRaw(reply, request, BodyInput.empty(), in, out);
            return false;
        }
        boolean close = reply.ending() == Reply.Ending.CLOSE || head.wantsClose();
        responding.readLock().lock();
        try {
            if (socket.isClosed()) {
                return false; // killed while the reply waited: no response at all
            }
            boolean whole = ReplyWriter.write(reply, head, out, close);
            return whole && !close;
        } finally {
            responding.readLock().unlock();
        }
    }

    private void answerRaw(Reply reply, ReceivedRequest request, BodyInput body, InputStream in, OutputStream out) throws IOException {
        try {
            reply.rawHandler().orElseThrow().handle(new RawExchange(request, body, in, out));
        } finally {
            out.flush();
        }
    }

    /** @return false when the origin closed during the wait */
    private boolean waitBeforeAnswering(Reply reply) {
        try {
            if (!reply.delay().isZero() && closing.await(reply.delay().toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            if (reply.hold().isPresent()) {
                reply.hold().get().await();
            }
            return closing.getCount() > 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            Objects.requireNonNull(closeable).close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
