package io.gatehouse.plugins.transform;

import io.gatehouse.api.BodyRejectedException;
import io.gatehouse.api.BodyTransformer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;

/**
 * An edit of a whole body held up to a cap. Past the cap, a request body is refused (413: its
 * edit may be what the origin relies on) and a response body goes on unchanged.
 */
final class WholeBodyEdit implements BodyTransformer {

    private final long maxSize;
    private final boolean request;
    private final UnaryOperator<byte[]> edit;
    private final Runnable overCap;
    private ByteArrayOutputStream held = new ByteArrayOutputStream();
    private boolean passing;

    /**
     * @param maxSize the most bytes held
     * @param request whether this is a request body
     * @param edit makes the new body from the old
     * @param overCap told once when a response body passes unchanged because of its size
     */
    WholeBodyEdit(long maxSize, boolean request, UnaryOperator<byte[]> edit, Runnable overCap) {
        this.maxSize = maxSize;
        this.request = request;
        this.edit = edit;
        this.overCap = overCap;
    }

    @Override
    public void onData(ByteBuffer data, Output out) {
        if (passing) {
            out.write(data);
            return;
        }
        if (held.size() + (long) data.remaining() > maxSize) {
            if (request) {
                throw new BodyRejectedException(413, "request body over the " + maxSize + " bytes this route edits");
            }
            passing = true;
            overCap.run();
            byte[] before = held.toByteArray();
            held = new ByteArrayOutputStream(0);
            out.write(ByteBuffer.wrap(before));
            out.write(data);
            return;
        }
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        held.write(bytes, 0, bytes.length);
    }

    @Override
    public void onEnd(Output out) {
        if (!passing) {
            out.write(ByteBuffer.wrap(edit.apply(held.toByteArray())));
            held = new ByteArrayOutputStream(0);
        }
    }

    @Override
    public void onAbort(Throwable cause) {
        held = new ByteArrayOutputStream(0);
    }
}
