package io.gatehouse.plugins.ratelimit.limit;

import java.util.List;

/**
 * The answer of all of a filter's limits for one request. Immutable.
 *
 * @param kind admitted, rejected, or what happened when the store could not answer
 * @param decisions the decisions to show the client: every applied limit's when admitted, the
 *     deciding (strictest) rejection when rejected, none when the store could not answer
 */
public record Verdict(Kind kind, List<Applied> decisions) {

    private static final Verdict UNLIMITED = new Verdict(Kind.ALLOWED, List.of());
    private static final Verdict FAILED_OPEN = new Verdict(Kind.FAILED_OPEN, List.of());
    private static final Verdict FAILED_CLOSED = new Verdict(Kind.FAILED_CLOSED, List.of());

    /** What the limits decided. */
    public enum Kind {
        /** Every applied limit admits the request. */
        ALLOWED,
        /** At least one limit rejects it: 429. */
        REJECTED,
        /** The store did not answer in time; the policy admits the request. */
        FAILED_OPEN,
        /** The store did not answer in time; the policy refuses the request: 503. */
        FAILED_CLOSED
    }

    /**
     * One limit's decision.
     *
     * @param limit the limit's index in the filter's config
     * @param decision its decision
     */
    public record Applied(int limit, Decision decision) {
    }

    public Verdict {
        decisions = List.copyOf(decisions);
    }

    /** @return an admission with no limit applied */
    public static Verdict unlimited() {
        return UNLIMITED;
    }

    /** @return an admission because the store failed and the policy is fail-open */
    public static Verdict failedOpen() {
        return FAILED_OPEN;
    }

    /** @return a refusal because the store failed and the policy is fail-closed */
    public static Verdict failedClosed() {
        return FAILED_CLOSED;
    }

    /**
     * Combines the decisions of the applied limits: the strictest answers. A rejection by any
     * limit rejects the request; of several rejections, the one that asks to wait longest is
     * shown.
     *
     * @param keys the request's keys, telling which limits applied
     * @param decisions each limit's decision, by index (entries of limits that did not apply are ignored)
     * @return the verdict
     */
    public static Verdict combine(KeyValues keys, Decision[] decisions) {
        Applied strictest = null;
        Applied[] applied = new Applied[keys.applicable()];
        int n = 0;
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.applies(i)) {
                continue;
            }
            Decision d = decisions[i];
            applied[n++] = new Applied(i, d);
            if (!d.allowed() && (strictest == null || d.retryAfterNanos() > strictest.decision().retryAfterNanos())) {
                strictest = applied[n - 1];
            }
        }
        // List.of makes the one copy; the constructor's List.copyOf keeps an immutable list as it is.
        return strictest == null ? new Verdict(Kind.ALLOWED, List.of(applied)) : new Verdict(Kind.REJECTED, List.of(strictest));
    }

    /** @return whether the request may go on */
    public boolean admits() {
        return kind == Kind.ALLOWED || kind == Kind.FAILED_OPEN;
    }
}
