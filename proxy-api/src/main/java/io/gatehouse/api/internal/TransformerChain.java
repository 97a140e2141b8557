package io.gatehouse.api.internal;

import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.annotation.Internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The transformers of one body, in installation order, each feeding the next, the last feeding
 * {@code sink} (which must take every byte during the call): the server's and the test kit's
 * way of running {@link BodyTransformer}s. Not thread-safe (the server guards it with the
 * exchange's lock); a transformer's exception propagates to the caller.
 *
 * <p>Not part of the API (see {@link Internal}): public only because the server and the test kit use it.
 */
@Internal
public final class TransformerChain {

    private final List<BodyTransformer> stages;
    private final BodyTransformer.Output[] outputs;
    private boolean over;

    /**
     * @param stages the transformers, at least one
     * @param sink receives the new body's bytes
     */
    public TransformerChain(List<BodyTransformer> stages, Consumer<ByteBuffer> sink) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("no transformers");
        }
        this.stages = List.copyOf(stages);
        this.outputs = new BodyTransformer.Output[this.stages.size()];
        for (int i = outputs.length - 1; i >= 0; i--) {
            if (i == outputs.length - 1) {
                outputs[i] = bytes -> {
                    if (bytes.hasRemaining()) {
                        sink.accept(bytes);
                    }
                };
            } else {
                BodyTransformer next = this.stages.get(i + 1);
                BodyTransformer.Output nextOutput = outputs[i + 1];
                outputs[i] = bytes -> {
                    if (bytes.hasRemaining()) {
                        next.onData(bytes.asReadOnlyBuffer(), nextOutput);
                    }
                };
            }
        }
    }

    /**
     * Feeds body bytes; all of {@code src} is consumed.
     *
     * @param src the bytes
     */
    public void data(ByteBuffer src) {
        if (!over && src.hasRemaining()) {
            stages.get(0).onData(src.asReadOnlyBuffer(), outputs[0]);
        }
        src.position(src.limit());
    }

    /** The body ended: every transformer emits what it has left, in order. Nothing after an abort. */
    public void end() {
        if (over) {
            return;
        }
        over = true;
        for (int i = 0; i < stages.size(); i++) {
            stages.get(i).onEnd(outputs[i]);
        }
    }

    /**
     * The body will not complete: every transformer hears it, once; nothing after the end.
     *
     * @param cause why
     * @return the exceptions the transformers threw from {@code onAbort}, for the caller to report
     */
    public List<RuntimeException> abort(Throwable cause) {
        if (over) {
            return List.of();
        }
        over = true;
        return abandon(stages, cause);
    }

    /**
     * Tells transformers whose body never comes to release what they hold.
     *
     * @param transformers the transformers
     * @param cause why
     * @return the exceptions they threw from {@code onAbort}, for the caller to report
     */
    public static List<RuntimeException> abandon(List<BodyTransformer> transformers, Throwable cause) {
        List<RuntimeException> failures = new ArrayList<>(0);
        for (BodyTransformer transformer : transformers) {
            try {
                transformer.onAbort(cause);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        return failures;
    }
}
