package io.gatehouse.server.tracing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * New trace and span ids: random, from {@link ThreadLocalRandom} (cheap, no lock, no system
 * entropy per request; ids need to be unique, not secret), never all zero.
 */
public final class TraceIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceIds() {
    }

    /** @return a new trace id: 32 lowercase hex digits */
    public static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low;
        do {
            low = random.nextLong();
        } while (high == 0 && low == 0);
        char[] id = new char[32];
        hex(high, id, 0);
        hex(low, id, 16);
        return new String(id);
    }

    /** @return a new span id: 16 lowercase hex digits */
    public static String spanId() {
        long bits;
        do {
            bits = ThreadLocalRandom.current().nextLong();
        } while (bits == 0);
        char[] id = new char[16];
        hex(bits, id, 0);
        return new String(id);
    }

    private static void hex(long bits, char[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
    }
}
