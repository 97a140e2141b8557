package io.gatehouse.server.listener;

import io.gatehouse.server.h2.FrameInputListener;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http2.H2ConnectionException;
import org.apache.hc.core5.http2.H2Error;
import org.apache.hc.core5.http2.frame.FrameFlag;
import org.apache.hc.core5.http2.frame.FrameType;
import org.apache.hc.core5.http2.frame.RawFrame;

import java.util.function.LongSupplier;

/**
 * Bounds, per HTTP/2 connection, the frames a client can send that cost the proxy work without
 * carrying a request: stream resets (the 2023 "rapid reset", CVE-2023-44487: each reset stream
 * was an exchange started for nothing), {@code PING} and {@code SETTINGS} (each needs an answer),
 * empty {@code DATA} frames without end of stream, and {@code WINDOW_UPDATE}s with a zero
 * increment. HttpCore 5.4 itself bounds CONTINUATION frames per header block
 * ({@code H2Config.maxContinuations}), the header list size and the concurrent streams, but none of
 * these. Each kind has a budget that refills with time ({@value #BURST} at once, {@value
 * #PER_SECOND} per second); a connection that exceeds one gets {@code GOAWAY} with
 * {@code ENHANCE_YOUR_CALM} and is closed. One instance per connection, used on its I/O thread.
 */
final class H2FloodGuard extends FrameInputListener {

    static final int BURST = 200;
    static final int PER_SECOND = 100;

    private final LongSupplier nanoClock;
    private final Budget resets;
    private final Budget pings;
    private final Budget settings;
    private final Budget empty;

    H2FloodGuard(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.resets = new Budget(now);
        this.pings = new Budget(now);
        this.settings = new Budget(now);
        this.empty = new Budget(now);
    }

    @Override
    public void onFrameInput(HttpConnection connection, int streamId, RawFrame frame) {
        ZeroStreamsSetting.accept(frame);
        FrameType type = FrameType.valueOf(frame.getType());
        if (type == null) {
            return;
        }
        Budget budget = switch (type) {
            case RST_STREAM -> resets;
            case PING -> pings;
            case SETTINGS -> frame.isFlagSet(FrameFlag.ACK) ? null : settings;
            case DATA -> frame.getLength() == 0 && !frame.isFlagSet(FrameFlag.END_STREAM) ? empty : null;
            case WINDOW_UPDATE -> zeroIncrement(frame) ? empty : null;
            default -> null;
        };
        if (budget != null && !budget.take(nanoClock.getAsLong())) {
            throw Sneaky.<RuntimeException>rethrow(new H2ConnectionException(H2Error.ENHANCE_YOUR_CALM,
                    "too many " + type + " frames"));
        }
    }

    private static boolean zeroIncrement(RawFrame frame) {
        java.nio.ByteBuffer payload = frame.getPayload();
        return payload != null && payload.remaining() == 4 && (payload.getInt(payload.position()) & 0x7fffffff) == 0;
    }

    /** A token bucket: {@link #BURST} tokens, {@link #PER_SECOND} more each second. */
    private static final class Budget {
        private double tokens = BURST;
        private long last;

        Budget(long now) {
            this.last = now;
        }

        boolean take(long now) {
            tokens = Math.min(BURST, tokens + (now - last) * (PER_SECOND / 1e9));
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    /** Throws a checked exception where the listener's signature allows none: HttpCore's input loop lets it through as the I/O error it is. */
    private static final class Sneaky {
        @SuppressWarnings("unchecked")
        static <T extends Throwable> T rethrow(Throwable t) throws T {
            throw (T) t;
        }
    }
}
