package io.gatehouse.plugins.ratelimit.limit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of a million distinct keys (random client addresses) keeps the local store within its
 * key bound, and its memory with it. The test JVM has a 128 MiB heap: a million keys held would
 * not fit (about 200 bytes each).
 */
class LocalStoreFloodTest {

    private static final int MAX_KEYS = 100_000;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aMillionDistinctKeysStayWithinTheBound() {
        LocalStore store = new LocalStore(List.of(new LimitSpec("per-ip", Rate.parse("100/s"), 100, Algorithm.TOKEN_BUCKET)),
                MAX_KEYS, Ticker.system());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        SplittableRandom random = new SplittableRandom(1);
        long started = System.nanoTime();
        for (int i = 0; i < 1_000_000; i++) {
            int ip = random.nextInt();
            String key = (ip >>> 24) + "." + ((ip >>> 16) & 255) + "." + ((ip >>> 8) & 255) + "." + (ip & 255);
            assertThat(store.decide(KeyValues.of(key)).admits()).isTrue();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        long keys = store.limiters().get(0).keys();
        long retained = usedAfterGc(memory) - before;
        System.out.printf("1,000,000 distinct keys in %d ms: %d keys held, %.1f MiB retained%n", millis, keys, retained / 1048576.0);
        assertThat(keys).isLessThanOrEqualTo(MAX_KEYS);
        assertThat(retained).as("bytes retained by the store").isLessThan(48L * 1024 * 1024);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
