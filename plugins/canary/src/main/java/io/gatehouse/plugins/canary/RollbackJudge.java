package io.gatehouse.plugins.canary;

import io.gatehouse.api.Outcome;

import java.util.Optional;
import java.util.Set;

/**
 * How one finished exchange of a canary counts towards its rollback. Only what the canary's
 * upstream did is judged: its answer, or its failure to give one. Clients that went away, answers
 * the proxy or another filter made (a filter's failure, a circuit breaker's 503, a cache hit) and
 * exchanges that never reached an upstream are not judged, so a client can neither roll a healthy
 * canary back nor dilute a broken one's failures with them.
 */
final class RollbackJudge {

    /** The verdicts. */
    enum Verdict {
        /** The upstream answered below 500. */
        SUCCESS,
        /** The upstream answered 5xx, or could not be reached, reset, timed out or sent garbage. */
        FAILURE,
        /** Nothing the upstream did decided the exchange. */
        NOT_JUDGED
    }

    /** The proxy's detail codes ({@link Outcome#detail()}) that report a failure of the upstream. */
    static final Set<String> UPSTREAM_FAILURES = Set.of("upstream_connect_failure", "upstream_connect_timeout", "upstream_reset",
            "upstream_response_timeout", "upstream_invalid_header", "upstream_failed_while_responding", "upstream_failed_mid_response");

    private RollbackJudge() {
    }

    /**
     * @param outcome how the exchange ended
     * @return {@link Verdict#FAILURE} for an upstream failure or a 5xx answer of the upstream (also
     *     when the client left during its body), {@link Verdict#SUCCESS} for a complete answer of
     *     the upstream below 500, otherwise {@link Verdict#NOT_JUDGED}: no upstream attempt, an
     *     answer of the proxy, or a client that went away before a 5xx head
     */
    static Verdict judge(Outcome outcome) {
        if (outcome.attempts() == 0) {
            return Verdict.NOT_JUDGED; // a filter answered (cache hit, breaker, failure), or the client left first
        }
        Optional<String> detail = outcome.detail();
        if (detail.isPresent()) {
            return UPSTREAM_FAILURES.contains(detail.get()) ? Verdict.FAILURE : Verdict.NOT_JUDGED;
        }
        if (outcome.status() >= 500) {
            return Verdict.FAILURE; // the upstream's own answer
        }
        return outcome.kind() == Outcome.Kind.COMPLETED && outcome.status() > 0 ? Verdict.SUCCESS : Verdict.NOT_JUDGED;
    }
}
