package io.gatehouse.plugins.ratelimit.limit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The generic cell rate algorithm: each key holds its theoretical arrival time (TAT), the time
 * at which its bucket would be full again. A request is admitted when moving the TAT one
 * emission interval ({@code period / count}) ahead keeps it within {@code burst} intervals of
 * now. The state is one long, changed lock-free with compare-and-set. The interval is rounded
 * down to whole nanoseconds (at most 1 ns per request in the client's favour).
 */
final class Gcra implements LimitAlgorithm<Gcra.State> {

    /** One key: its theoretical arrival time. */
    static final class State extends AtomicLong {
        private static final long serialVersionUID = 1L;

        private State(long tat) {
            super(tat);
        }
    }

    private final long interval;
    private final long tolerance;
    private final long burst;

    Gcra(LimitSpec spec) {
        this.interval = spec.rate().emissionNanos();
        this.burst = spec.burst();
        long t;
        try {
            t = Math.multiplyExact(interval, burst);
        } catch (ArithmeticException e) {
            t = Long.MAX_VALUE / 4;
        }
        this.tolerance = t;
    }

    @Override
    public State newState(long now) {
        return new State(now);
    }

    @Override
    public Decision acquire(State s, long now) {
        while (true) {
            long tat = s.get();
            long next = Math.max(tat, now) + interval;
            long ahead = next - now;
            if (ahead > tolerance) {
                return Decision.reject(Math.max(0, tat - now), ahead - tolerance);
            }
            if (s.compareAndSet(tat, next)) {
                return Decision.allow((tolerance - ahead) / interval, ahead);
            }
        }
    }

    @Override
    public void refund(State s, long now) {
        s.addAndGet(-interval);
    }

    @Override
    public void charge(State s, long requests, long now) {
        long cost = requests * interval;
        s.accumulateAndGet(now, (tat, t) -> Math.max(tat, t) + cost);
    }

    @Override
    public Snapshot snapshot(State s, long now) {
        long ahead = Math.max(0, s.get() - now);
        return new Snapshot(burst - (double) ahead / interval, 0, 0);
    }

    @Override
    public void restore(State s, Snapshot snapshot, long now) {
        double level = Math.min(burst, snapshot.level());
        s.set(now + (long) Math.ceil((burst - level) * interval));
    }
}
