package io.gatehouse.plugins.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;

/** Turns the failure of an asynchronous credential check into a 503 verdict. */
final class Overload {

    private static final Logger LOG = LoggerFactory.getLogger(Overload.class);

    private Overload() {
    }

    /**
     * @param failure why the check did not finish: {@link BoundedWork.Overloaded} (too many checks,
     *     or the blocking executor refused work), or an unexpected error
     * @param mechanism the mechanism, for the log
     * @return a 503 verdict
     */
    static Verdict verdict(Throwable failure, String mechanism) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof BoundedWork.Overloaded) {
            return new Verdict.Rejected("overloaded", Challenges.unavailable("too many credential checks under way"));
        }
        LOG.error("Auth ({}): a credential check failed unexpectedly: {}", mechanism, cause.toString());
        return new Verdict.Rejected("check_failed", Challenges.unavailable("the credential could not be checked"));
    }
}
