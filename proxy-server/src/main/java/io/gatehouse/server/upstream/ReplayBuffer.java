package io.gatehouse.server.upstream;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The copy of a request body kept so that a retry can send it again, up to the selector's
 * {@code replayBufferSize}. Past that size the copy is dropped for good and the body counts as
 * not replayable. Guarded by the exchange's lock.
 */
final class ReplayBuffer {

    private byte[] bytes;
    private int length;
    private int cap;
    private boolean incomplete;

    /**
     * Starts the copy.
     *
     * @param maxBytes the most bytes kept
     * @param declaredLength the body's declared length, negative when unknown
     * @param soFar body bytes received before the copy started
     */
    void start(int maxBytes, long declaredLength, ByteBuffer soFar) {
        cap = maxBytes;
        if (declaredLength > maxBytes) {
            incomplete = true;
            return;
        }
        bytes = new byte[(int) (declaredLength >= 0 ? declaredLength : Math.min(maxBytes, 4096))];
        length = 0;
        keep(soFar);
    }

    /** @return whether a copy is being kept */
    boolean active() {
        return bytes != null && !incomplete;
    }

    /** @param data more body bytes (not consumed); the copy is dropped when they pass the cap */
    void keep(ByteBuffer data) {
        if (!active()) {
            return;
        }
        int n = data.remaining();
        if (length + n > cap) {
            bytes = null;
            incomplete = true;
            return;
        }
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(cap, Math.max(length + n, bytes.length * 2)));
        }
        data.duplicate().get(bytes, length, n);
        length += n;
    }

    /** @return whether the whole body received so far is held */
    boolean whole() {
        return active();
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }
}
