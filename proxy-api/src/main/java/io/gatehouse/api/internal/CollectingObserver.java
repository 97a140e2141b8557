package io.gatehouse.api.internal;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.annotation.Internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * {@link BodyObserver#collecting(long, OptionalLong, Consumer)}: one array, sized at once when
 * the length is known (no doubling, no copy at the end), else grown by halves up to the limit.
 *
 * <p>Not part of the API (see {@link Internal}): reached through {@link BodyObserver}.
 */
@Internal
public final class CollectingObserver implements BodyObserver {

    private static final int FIRST_CAPACITY = 8 * 1024;

    private final long limit;
    private final Consumer<Optional<byte[]>> whenDone;
    private byte[] body;
    private int size;
    private boolean done;

    /**
     * @param limit the most bytes kept
     * @param expectedLength the body's length when known
     * @param whenDone receives the body, or empty, once
     */
    public CollectingObserver(long limit, OptionalLong expectedLength, Consumer<Optional<byte[]>> whenDone) {
        this.limit = Math.min(limit, Integer.MAX_VALUE - 8);
        this.whenDone = whenDone;
        long expected = expectedLength.orElse(-1);
        this.body = new byte[(int) (expected >= 0 && expected <= this.limit ? expected : Math.min(FIRST_CAPACITY, this.limit))];
    }

    @Override
    public void onData(ByteBuffer data) {
        if (done) {
            return;
        }
        int count = data.remaining();
        if (size + (long) count > limit) {
            finish(Optional.empty());
            return;
        }
        if (size + count > body.length) {
            long grown = Math.max(size + (long) count, body.length + (long) (body.length >> 1));
            body = Arrays.copyOf(body, (int) Math.min(grown, limit));
        }
        data.duplicate().get(body, size, count);
        size += count;
    }

    @Override
    public void onEnd(HttpFields trailers) {
        if (!done) {
            finish(Optional.of(size == body.length ? body : Arrays.copyOf(body, size)));
        }
    }

    @Override
    public void onAbort(Throwable cause) {
        if (!done) {
            finish(Optional.empty());
        }
    }

    private void finish(Optional<byte[]> result) {
        done = true;
        body = new byte[0];
        whenDone.accept(result);
    }
}
