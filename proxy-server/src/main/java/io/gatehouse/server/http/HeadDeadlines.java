package io.gatehouse.server.http;

import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.IOSessionListener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The request-head deadline for clients that stop sending mid-head (slowloris): the strict
 * parser registers a connection whose head spans more than one read, a periodic sweep answers
 * those past the deadline with 408 and closes them. Heads that arrive in one read (nearly all)
 * cost nothing here. The parser learns its connection from {@link #listener()}, which HttpCore
 * calls on the same thread just before the connection's input is parsed.
 */
final class HeadDeadlines {

    private static final ThreadLocal<IOSession> READING = new ThreadLocal<>();
    private static final String TIMEOUT_BODY = "Request Timeout: request head not received in time\n";
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Connection: close\r\nContent-Length: " + TIMEOUT_BODY.length() + "\r\n\r\n" + TIMEOUT_BODY)
            .getBytes(StandardCharsets.US_ASCII);

    private final long deadlineNanos;
    private final Map<IOSession, Long> started = new ConcurrentHashMap<>();
    private ScheduledFuture<?> sweeping;

    HeadDeadlines(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    void start(ScheduledExecutorService scheduler, long periodMillis) {
        sweeping = scheduler.scheduleAtFixedRate(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (sweeping != null) {
            sweeping.cancel(false);
        }
        started.clear();
    }

    /** @return the listener that tells the parser which connection it reads */
    IOSessionListener listener() {
        return new IOSessionListener() {
            @Override
            public void connected(IOSession session) {
            }

            @Override
            public void startTls(IOSession session) {
            }

            @Override
            public void inputReady(IOSession session) {
                READING.set(session);
            }

            @Override
            public void outputReady(IOSession session) {
            }

            @Override
            public void timeout(IOSession session) {
            }

            @Override
            public void exception(IOSession session, Exception ex) {
            }

            @Override
            public void disconnected(IOSession session) {
                started.remove(session);
            }
        };
    }

    /**
     * A head is in progress on the connection being read.
     *
     * @param headStartNanos when its first byte arrived
     */
    void headInProgress(long headStartNanos) {
        IOSession session = READING.get();
        if (session != null) {
            started.putIfAbsent(session, headStartNanos);
        }
    }

    /** The head on the connection being read is complete or refused. */
    void headDone() {
        IOSession session = READING.get();
        if (session != null && !started.isEmpty()) {
            started.remove(session);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        started.forEach((session, start) -> {
            if (now - start > deadlineNanos && started.remove(session, start)) {
                try {
                    session.write(ByteBuffer.wrap(TIMEOUT_RESPONSE));
                } catch (IOException | RuntimeException e) {
                    // the client is gone already
                }
                session.close(CloseMode.GRACEFUL);
            }
        });
    }
}
