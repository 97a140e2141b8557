package io.gatehouse.plugins.ratelimit.limit;

/**
 * The sliding window counter: fixed windows of one period (aligned to multiples of the period),
 * and an estimate of the requests in the last period: the previous window's count weighted by
 * the share of it still inside the sliding period, plus the current window's count. A request is
 * admitted while the estimate stays within the rate's count. The estimate assumes the previous
 * window's requests were spread evenly; bursty traffic can make it err either way (see
 * docs/rate-limiting.md). A key's state is changed under the key's own monitor.
 */
final class SlidingWindow implements LimitAlgorithm<SlidingWindow.State> {

    /** One key: the current window's start and the two counts. */
    static final class State {
        private long start;
        private long current;
        private long previous;

        private State(long start) {
            this.start = start;
        }
    }

    private final long limit;
    private final long period;

    SlidingWindow(LimitSpec spec) {
        this.limit = spec.rate().count();
        this.period = spec.rate().periodNanos();
    }

    @Override
    public State newState(long now) {
        return new State(now - Math.floorMod(now, period));
    }

    @Override
    public Decision acquire(State s, long now) {
        synchronized (s) {
            roll(s, now);
            long into = now - s.start;
            double estimate = s.previous * (1 - (double) into / period) + s.current;
            if (estimate + 1 <= limit + TokenBucket.EPSILON) {
                s.current++;
                return Decision.allow((long) Math.floor(limit - estimate - 1 + TokenBucket.EPSILON), reset(s, now));
            }
            return Decision.reject(reset(s, now), retryAfter(s, now));
        }
    }

    /** The time until the estimate leaves room for one more request. */
    private long retryAfter(State s, long now) {
        long toNextWindow = s.start + period - now;
        if (s.current + 1 > limit) {
            // In the next window the current count becomes the previous one, weighted down as that window goes by.
            double share = 1 - (double) (limit - 1) / s.current;
            return toNextWindow + (long) Math.ceil(Math.max(0, share) * period);
        }
        double share = 1 - (double) (limit - 1 - s.current) / s.previous;
        long wait = s.start + (long) Math.ceil(share * period) - now;
        return Math.max(1, Math.min(wait, toNextWindow));
    }

    /** The time until neither window holds a request: the end of the next window, or of this one when it is empty. */
    private long reset(State s, long now) {
        return s.start + (s.current > 0 ? 2 * period : period) - now;
    }

    @Override
    public void refund(State s, long now) {
        synchronized (s) {
            roll(s, now);
            if (s.current > 0) {
                s.current--;
            }
        }
    }

    @Override
    public void charge(State s, long requests, long now) {
        synchronized (s) {
            roll(s, now);
            s.current += requests;
        }
    }

    @Override
    public Snapshot snapshot(State s, long now) {
        synchronized (s) {
            roll(s, now);
            return new Snapshot(s.current, s.previous, now - s.start);
        }
    }

    @Override
    public void restore(State s, Snapshot snapshot, long now) {
        synchronized (s) {
            s.start = now - Math.min(Math.max(0, snapshot.elapsedNanos()), period - 1);
            s.current = (long) snapshot.level();
            s.previous = snapshot.previous();
        }
    }

    /** Moves the windows forward to the one holding {@code now}. */
    private void roll(State s, long now) {
        long passed = now - s.start;
        if (passed >= period) {
            long windows = passed / period;
            s.previous = windows == 1 ? s.current : 0;
            s.current = 0;
            s.start += windows * period;
        }
    }
}
