package io.gatehouse.plugins.ratelimit.limit;

/**
 * One limit's answer for one request. Immutable.
 *
 * @param allowed whether the limit admits the request
 * @param remaining the requests still admitted at once after this one (0 when rejected)
 * @param resetNanos the time until the limit is back to its full quota
 * @param retryAfterNanos for a rejection, the time until a request would be admitted; 0 otherwise
 */
public record Decision(boolean allowed, long remaining, long resetNanos, long retryAfterNanos) {

    /**
     * @param remaining requests still admitted at once
     * @param resetNanos time until the full quota is back
     * @return an admission
     */
    public static Decision allow(long remaining, long resetNanos) {
        return new Decision(true, Math.max(0, remaining), Math.max(0, resetNanos), 0);
    }

    /**
     * @param resetNanos time until the full quota is back
     * @param retryAfterNanos time until a request would be admitted
     * @return a rejection
     */
    public static Decision reject(long resetNanos, long retryAfterNanos) {
        return new Decision(false, 0, Math.max(0, resetNanos), Math.max(1, retryAfterNanos));
    }
}
