package io.gatehouse.plugins.ratelimit.limit;

/**
 * One limit's arithmetic over the state of one key. Implementations are immutable and
 * thread-safe; a state is changed only through them, atomically (a CAS loop or the state's own
 * monitor, never a lock shared between keys). Times are {@link Ticker} nanoseconds.
 *
 * @param <S> the mutable state of one key
 */
public interface LimitAlgorithm<S> {

    /**
     * @param now the current time
     * @return the state of a key never seen (or idle long enough to be as good as new)
     */
    S newState(long now);

    /**
     * Charges one request if the limit admits it.
     *
     * @param state the key's state
     * @param now the current time
     * @return the decision
     */
    Decision acquire(S state, long now);

    /**
     * Gives back the request an {@link #acquire} admitted (another limit rejected it).
     *
     * @param state the key's state
     * @param now the current time
     */
    void refund(S state, long now);

    /**
     * Charges {@code count} requests whatever the limit says (requests already admitted
     * elsewhere): the state may go into debt, which later admissions pay back.
     *
     * @param state the key's state
     * @param count the requests to charge
     * @param now the current time
     */
    void charge(S state, long count, long now);

    /**
     * @param state the key's state
     * @param now the current time
     * @return the state as a {@link Snapshot}, to copy it to another store
     */
    Snapshot snapshot(S state, long now);

    /**
     * Replaces the state with {@code snapshot} (taken by the same algorithm, here or in Redis).
     *
     * @param state the key's state
     * @param snapshot the state to take over
     * @param now the current time
     */
    void restore(S state, Snapshot snapshot, long now);

    /**
     * @param spec the limit
     * @return the algorithm it names, with its parameters
     */
    static LimitAlgorithm<?> of(LimitSpec spec) {
        return switch (spec.algorithm()) {
            case TOKEN_BUCKET -> new TokenBucket(spec);
            case SLIDING_WINDOW -> new SlidingWindow(spec);
            case GCRA -> new Gcra(spec);
        };
    }
}
