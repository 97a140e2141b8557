package io.gatehouse.api.testkit;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.internal.TransformerChain;

import java.io.ByteArrayOutputStream;
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
 * registration order, each with its own read-only view of the chunk. When filters installed
 * {@link BodyTransformer}s, the fed bytes go through them first, as on the server: observers see
 * the new body, and {@link #sent()} holds it.
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
    private final Supplier<List<BodyTransformer>> transformers;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private List<BodyObserver> observers;
    private TransformerChain chain;
    private RuntimeException failure;
    private boolean ended;

    BodyFeed(String name, Supplier<List<BodyObserver>> seal, Supplier<List<BodyTransformer>> transformers) {
        this.name = name;
        this.seal = seal;
        this.transformers = transformers;
    }

    /**
     * The body as it leaves the proxy: the fed bytes after every installed transformer (the fed
     * bytes themselves when there is none), so far.
     *
     * @return a copy of the bytes
     */
    public byte[] sent() {
        return sent.toByteArray();
    }

    /** @return {@link #sent()} as UTF-8 text */
    public String sentText() {
        return sent.toString(StandardCharsets.UTF_8);
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
        if (chain != null) {
            try {
                chain.end();
            } catch (RuntimeException e) {
                throw new IllegalStateException("a " + name + " body transformer failed in onEnd: " + e, e);
            }
        }
        for (BodyObserver observer : targets) {
            try {
                observer.onEnd(trailers);
            } catch (RuntimeException e) {
                failure = first(failure, e, "onEnd");
            }
        }
        rethrowPending();
    }

    /**
     * Breaks the body off: it will not complete (client gone, origin reset).
     *
     * @param cause why
     */
    public void abort(Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        List<BodyObserver> targets = terminate("abort");
        if (chain != null) {
            chain.abort(cause).stream().findFirst().ifPresent(e -> failure = first(failure, e, "a transformer's onAbort"));
        }
        for (BodyObserver observer : targets) {
            try {
                observer.onAbort(cause);
            } catch (RuntimeException e) {
                failure = first(failure, e, "onAbort");
            }
        }
        rethrowPending();
    }

    /** @return whether the body has ended or was aborted */
    public boolean ended() {
        return ended;
    }

    private BodyFeed deliver(byte[] chunk) {
        if (ended) {
            throw new IllegalStateException("the " + name + " body has already ended");
        }
        observers();
        if (chunk.length == 0) {
            return this;
        }
        if (chain != null) {
            try {
                chain.data(ByteBuffer.wrap(chunk));
            } catch (RuntimeException e) {
                throw new IllegalStateException("a " + name + " body transformer failed in onData: " + e, e);
            }
        } else {
            leave(ByteBuffer.wrap(chunk));
        }
        Arrays.fill(chunk, SCRIBBLE);
        rethrowPending();
        return this;
    }

    /** Bytes of the body as it leaves: recorded and shown to the observers. */
    private void leave(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        sent.write(copy, 0, copy.length);
        ByteBuffer view = ByteBuffer.wrap(copy).asReadOnlyBuffer();
        for (BodyObserver observer : observers) {
            try {
                observer.onData(view.duplicate());
            } catch (RuntimeException e) {
                failure = first(failure, e, "onData");
            }
        }
        Arrays.fill(copy, SCRIBBLE);
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
            List<BodyTransformer> installed = transformers.get();
            if (!installed.isEmpty()) {
                chain = new TransformerChain(installed, this::leave);
            }
        }
        return observers;
    }

    private RuntimeException first(RuntimeException earlier, RuntimeException e, String hook) {
        return earlier != null ? earlier : new IllegalStateException("a " + name + " body observer failed in " + hook + ": " + e, e);
    }

    private void rethrowPending() {
        RuntimeException pending = failure;
        failure = null;
        if (pending != null) {
            throw pending;
        }
    }
}
