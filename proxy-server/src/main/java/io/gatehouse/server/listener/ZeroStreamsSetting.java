package io.gatehouse.server.listener;

import org.apache.hc.core5.http2.frame.FrameFlag;
import org.apache.hc.core5.http2.frame.FrameType;
import org.apache.hc.core5.http2.frame.RawFrame;

import java.nio.ByteBuffer;

/**
 * Works around HttpCore 5.4's refusal of {@code SETTINGS_MAX_CONCURRENT_STREAMS = 0}: the value is
 * legal (RFC 9113 §6.5.2) and clients that take no server push send it (the JDK's
 * {@code HttpClient} does), but HttpCore 5.4 answers it with a connection error
 * ({@code H2Config.Builder.setMaxConcurrentStreams} accepts only positive values; fixed upstream
 * after 5.4 by "HTTP/2: tighten SETTINGS validation"). The setting limits the streams the
 * <em>server</em> may open, which a proxy that never pushes does not use, so a 0 is read as 1
 * before HttpCore sees the frame.
 */
final class ZeroStreamsSetting {

    private static final int MAX_CONCURRENT_STREAMS = 0x3;

    private ZeroStreamsSetting() {
    }

    /** @param frame a frame just read from the client, its payload still in HttpCore's input buffer */
    static void accept(RawFrame frame) {
        if (frame.getType() != FrameType.SETTINGS.getValue() || frame.isFlagSet(FrameFlag.ACK)) {
            return;
        }
        ByteBuffer payload = frame.getPayload(); // a view sharing the frame's bytes
        if (payload == null) {
            return;
        }
        for (int at = payload.position(); at + 6 <= payload.limit(); at += 6) {
            if ((payload.getShort(at) & 0xffff) == MAX_CONCURRENT_STREAMS && payload.getInt(at + 2) == 0) {
                payload.putInt(at + 2, 1);
            }
        }
    }
}
