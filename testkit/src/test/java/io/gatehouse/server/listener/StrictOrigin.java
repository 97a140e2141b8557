package io.gatehouse.server.listener;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin that reads what the proxy sends it with a strict HTTP/1.1 parser and records every
 * message, well-formed or not, so that a test can check that nothing malformed ever reached it.
 * It answers each well-formed request {@code 200} with {@code X-Record: N} (the record's number),
 * so the client side can tell which record a response belongs to; on the first violation it
 * records the problem and closes the connection.
 *
 * <p>{@code TestOrigin} is lenient on purpose and drops what it cannot parse, which is exactly the
 * evidence this origin keeps.
 */
final class StrictOrigin implements AutoCloseable {

    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 1 << 20;

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "strict-origin");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<Integer, OriginRecord> records = new ConcurrentHashMap<>();
    private final List<OriginRecord> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger numbers = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile String currentCase = "-";

    private StrictOrigin(ServerSocket listener) {
        this.listener = listener;
    }

    static StrictOrigin start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            StrictOrigin origin = new StrictOrigin(socket);
            origin.threads.execute(origin::accept);
            return origin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** @param name the case being run, noted on records for failure reports */
    void currentCase(String name) {
        currentCase = name;
    }

    /** @return the record answered with {@code X-Record: number}, or null */
    OriginRecord record(int number) {
        return records.get(number);
    }

    /** @return every record made so far */
    List<OriginRecord> records() {
        return List.copyOf(records.values());
    }

    /** @return the records of malformed messages */
    List<OriginRecord> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() {
        closeQuietly(listener);
        open.forEach(StrictOrigin::closeQuietly);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                open.add(socket);
                int connection = connections.incrementAndGet();
                threads.execute(() -> serve(socket, connection));
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int connection) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            while (true) {
                OriginRecord record = readOne(in, out, connection);
                if (record == null) {
                    return;
                }
                records.put(record.number(), record);
                if (record.violation() != null) {
                    violations.add(record);
                    return;
                }
                if (!record.complete()) {
                    return;
                }
                if (in.available() > 0) {
                    // the proxy never pipelines towards the origin: bytes beyond the request before
                    // its response are a second message the proxy did not frame as one
                    OriginRecord smuggled = record.withViolation("bytes after a complete request, before its response");
                    records.put(record.number(), smuggled);
                    violations.add(smuggled);
                    return;
                }
                String head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Record: " + record.number() + "\r\n\r\n";
                out.write((record.method().equals("HEAD") ? head : head + "ok").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // the proxy closed or reset the connection
        } finally {
            open.remove(socket);
        }
    }

    /** @return the next message on the connection, or null when it closed cleanly before one */
    private OriginRecord readOne(InputStream in, OutputStream out, int connection) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int last4 = 0;
        int b;
        while ((b = readByte(in)) >= 0) {
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                break;
            }
            if (head.size() > MAX_HEAD) {
                return OriginRecord.head(numbers.incrementAndGet(), connection, currentCase, head.toString(StandardCharsets.ISO_8859_1))
                        .withViolation("head longer than " + MAX_HEAD + " bytes");
            }
        }
        if (head.size() == 0) {
            return null;
        }
        OriginRecord record = OriginRecord.head(numbers.incrementAndGet(), connection, currentCase,
                head.toString(StandardCharsets.ISO_8859_1));
        if (b < 0) {
            return record.truncated();
        }
        String violation = StrictMessages.headViolation(record.head());
        if (violation != null) {
            return record.withViolation(violation);
        }
        if (StrictMessages.expectsContinue(record.head())) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        return StrictMessages.readBody(record, in, MAX_BODY);
    }

    private static int readByte(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException e) {
            return -1; // reset by the proxy: the message ends here
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
