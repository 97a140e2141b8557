package io.gatehouse.plugins.ratelimit.limit;

/** How a limit counts, by its config name ({@code algorithm:}). */
public enum Algorithm {

    /** A bucket of {@code burst} tokens refilled continuously at the rate; a request takes one. */
    TOKEN_BUCKET("token-bucket"),

    /**
     * The rate's count per period, over a window that slides: the previous fixed window's count,
     * weighted by how much of it still lies in the sliding window, plus the current one's.
     */
    SLIDING_WINDOW("sliding-window"),

    /**
     * The generic cell rate algorithm: one theoretical arrival time per key; the same admissions
     * as the token bucket, with one number of state.
     */
    GCRA("gcra");

    private final String configName;

    Algorithm(String configName) {
        this.configName = configName;
    }

    /** @return the name in config, e.g. {@code token-bucket} */
    public String configName() {
        return configName;
    }

    /** @return the code the Redis script knows it by */
    public int scriptCode() {
        return ordinal() + 1;
    }
}
