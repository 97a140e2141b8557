package io.gatehouse.plugins.ratelimit.limit;

import java.time.Clock;
import java.time.Instant;

/**
 * A monotonic time source in nanoseconds, the only time the limiters read. The server's clock
 * is the system clock, read through {@link System#nanoTime()}; a test's clock (a manual
 * scheduler's) is read as it is, so limits follow the test's time exactly.
 */
@FunctionalInterface
public interface Ticker {

    /** @return the current time in nanoseconds, from an arbitrary origin */
    long nanos();

    /** @return {@link System#nanoTime()} */
    static Ticker system() {
        return System::nanoTime;
    }

    /**
     * @param clock the filter's clock
     * @return the system ticker for the system clock, otherwise the clock's instants in nanoseconds
     */
    static Ticker of(Clock clock) {
        if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
            return system();
        }
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
