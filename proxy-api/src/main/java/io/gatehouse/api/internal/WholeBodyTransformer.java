package io.gatehouse.api.internal;

import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.annotation.Internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * {@link BodyTransformer#wholeBody}: the body collected into one growing array up to a limit.
 *
 * <p>Not part of the API (see {@link Internal}): reached through {@link BodyTransformer}.
 */
@Internal
public final class WholeBodyTransformer implements BodyTransformer {

    private final long limit;
    private final UnaryOperator<byte[]> change;
    private byte[] body = new byte[1024];
    private int size;

    /**
     * @param limit the most bytes collected
     * @param change makes the new body from the old
     */
    public WholeBodyTransformer(long limit, UnaryOperator<byte[]> change) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        this.limit = Math.min(limit, Integer.MAX_VALUE - 8);
        this.change = change;
    }

    @Override
    public void onData(ByteBuffer data, Output out) {
        int count = data.remaining();
        if (size + (long) count > limit) {
            body = new byte[0];
            throw new IllegalStateException("the body is over the " + limit + " bytes a whole-body transformer may hold");
        }
        if (size + count > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(limit, Math.max(size + (long) count, body.length * 2L)));
        }
        data.get(body, size, count);
        size += count;
    }

    @Override
    public void onEnd(Output out) {
        byte[] changed = change.apply(Arrays.copyOf(body, size));
        body = new byte[0];
        out.write(ByteBuffer.wrap(changed));
    }

    @Override
    public void onAbort(Throwable cause) {
        body = new byte[0];
    }
}
