package io.gatehouse.api.testkit;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.HttpFields;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Feeds one body of a {@link TestExchange} (request or response) to the {@link BodyObserver}s
 * the filters registered, the way the server delivers it: {@code onData} for each chunk, then
 * exactly one of {@code onEnd} (with trailers) or {@code onAbort}; every observer in
 * registration order, each with its own read-only view of the chunk.
 *
 * <pre>{@code
 * exchange.requestBody().data("part one, ").data("part two").end();
 * exchange.responseBody().data(bytes).abort(new IOException("origin reset"));
 * }</pre>
 *
 * <p>The first chunk, end or abort ends the chain phase in which observers of this body may
 * register, as delivery does on the server (later registrations throw
 * {@link IllegalStateException}). After a chunk was delivered, its bytes are overwritten: an
 * observer that kept the buffer, which it must not, sees garbage, as it would on the server,
 * where buffers are reused. Feeding after the end or abort, or ending twice, is a mistake in the
 * test and throws {@link IllegalStateException}. Unlike the server, which logs an observer's
 * exception and carries on, the feed delivers to every observer and then throws the first
 * failure, so that the test sees it.
 *
 * @since 0.2
 */
public final class BodyFeed {

    private static final byte SCRIBBLE = (byte) 0xEE;

    private final String name;
    private final Supplier<List<BodyObserver>> seal;
    private List<BodyObserver> observers;
    private boolean ended;

    BodyFeed(String name, Supplier<List<BodyObserver>> seal) {
        this.name = name;
        this.seal = seal;
    }

    /**
     * @param text a chunk, UTF-8
     * @return this
     */
    public BodyFeed data(String text) {
        return data(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param bytes a chunk (copied)
     * @return this
     */
    public BodyFeed data(byte[] bytes) {
        return deliver(bytes.clone());
    }

    /**
     * @param bytes a chunk: its remaining bytes (copied; its position does not move)
     * @return this
     */
    public BodyFeed data(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return deliver(copy);
    }

    /** Ends the body cleanly, without trailers. */
    public void end() {
        end(HttpFields.empty());
    }

    /**
     * Ends the body cleanly.
     *
     * @param trailers its trailer fields
     */
    public void end(HttpFields trailers) {
        Objects.requireNonNull(trailers, "trailers");
        List<BodyObserver> targets = terminate("end");
        RuntimeException failure = null;
        for (BodyObserver observer : targets) {
            try {
                observer.onEnd(trailers);
            } catch (RuntimeException e) {
                failure = first(failure, e, "onEnd");
            }
        }
        rethrow(failure);
    }

    /**
     * Breaks the body off: it will not complete (client gone, origin reset).
     *
     * @param cause why
     */
    public void abort(Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        List<BodyObserver> targets = terminate("abort");
        RuntimeException failure = null;
        for (BodyObserver observer : targets) {
            try {
                observer.onAbort(cause);
            } catch (RuntimeException e) {
                failure = first(failure, e, "onAbort");
            }
        }
        rethrow(failure);
    }

    /** @return whether the body has ended or was aborted */
    public boolean ended() {
        return ended;
    }

    private BodyFeed deliver(byte[] chunk) {
        if (ended) {
            throw new IllegalStateException("the " + name + " body has already ended");
        }
        List<BodyObserver> targets = observers();
        if (chunk.length == 0) {
            return this;
        }
        ByteBuffer view = ByteBuffer.wrap(chunk).asReadOnlyBuffer();
        RuntimeException failure = null;
        for (BodyObserver observer : targets) {
            try {
                observer.onData(view.duplicate());
            } catch (RuntimeException e) {
                failure = first(failure, e, "onData");
            }
        }
        Arrays.fill(chunk, SCRIBBLE);
        rethrow(failure);
        return this;
    }

    private List<BodyObserver> terminate(String what) {
        if (ended) {
            throw new IllegalStateException("cannot " + what + " the " + name + " body: it has already ended");
        }
        List<BodyObserver> targets = observers();
        ended = true;
        return targets;
    }

    private List<BodyObserver> observers() {
        if (observers == null) {
            observers = List.copyOf(seal.get());
        }
        return observers;
    }

    private RuntimeException first(RuntimeException earlier, RuntimeException e, String hook) {
        return earlier != null ? earlier : new IllegalStateException("a " + name + " body observer failed in " + hook + ": " + e, e);
    }

    private static void rethrow(RuntimeException failure) {
        if (failure != null) {
            throw failure;
        }
    }
}
