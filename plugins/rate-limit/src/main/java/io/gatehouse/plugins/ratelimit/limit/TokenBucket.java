package io.gatehouse.plugins.ratelimit.limit;

/**
 * The token bucket: {@code burst} tokens, refilled continuously at {@code count} per
 * {@code period}; a request takes one. A key's state is its tokens and the time they were
 * counted, changed under the key's own monitor. The tokens are brought up to date only when a
 * request takes one, in a single step from that time, so that rounding cannot accumulate over
 * many small refills; a token counts as whole within {@value #EPSILON} of it.
 */
final class TokenBucket implements LimitAlgorithm<TokenBucket.State> {

    /** One key: tokens (may be negative after {@link #charge}) at time {@code last}. */
    static final class State {
        private double tokens;
        private long last;

        private State(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }

    static final double EPSILON = 1e-9;

    private final double capacity;
    private final long count;
    private final long period;

    TokenBucket(LimitSpec spec) {
        this.capacity = spec.burst();
        this.count = spec.rate().count();
        this.period = spec.rate().periodNanos();
    }

    @Override
    public State newState(long now) {
        return new State(capacity, now);
    }

    @Override
    public Decision acquire(State s, long now) {
        synchronized (s) {
            double tokens = level(s, now);
            if (tokens >= 1 - EPSILON) {
                set(s, tokens - 1, now);
                return Decision.allow((long) Math.floor(s.tokens + EPSILON), nanosFor(capacity - s.tokens));
            }
            return Decision.reject(nanosFor(capacity - tokens), nanosFor(1 - tokens));
        }
    }

    @Override
    public void refund(State s, long now) {
        synchronized (s) {
            set(s, Math.min(capacity, level(s, now) + 1), now);
        }
    }

    @Override
    public void charge(State s, long requests, long now) {
        synchronized (s) {
            set(s, level(s, now) - requests, now);
        }
    }

    @Override
    public Snapshot snapshot(State s, long now) {
        synchronized (s) {
            return new Snapshot(level(s, now), 0, 0);
        }
    }

    @Override
    public void restore(State s, Snapshot snapshot, long now) {
        synchronized (s) {
            s.tokens = Math.min(capacity, snapshot.level());
            s.last = now;
        }
    }

    /** @return the tokens at {@code now}: those counted at {@code last} plus those earned since (time never runs backwards here) */
    private double level(State s, long now) {
        long elapsed = now - s.last;
        return elapsed > 0 ? Math.min(capacity, s.tokens + (double) elapsed * count / period) : s.tokens;
    }

    private static void set(State s, double tokens, long now) {
        s.tokens = tokens;
        s.last = Math.max(s.last, now);
    }

    /** @return the time {@code tokens} take to refill, rounded up (but not for a rounding error's sake) */
    private long nanosFor(double tokens) {
        return tokens <= 0 ? 0 : (long) Math.ceil(tokens * period / count - 1e-3);
    }
}
