package io.gatehouse.plugins.auth;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.RequestHead;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One way of authenticating requests, configured in an auth filter instance. Thread-safe. A
 * mechanism never blocks: what costs CPU (password hashes) goes to the blocking executor, what
 * waits (keys, an auth service) returns an unfinished stage.
 */
interface Mechanism extends AutoCloseable {

    /** The error code of credentials that could not be read. */
    String MALFORMED = "malformed_credentials";
    /** The error code of credentials that do not match. */
    String INVALID = "invalid_credentials";

    /** @return its name in config, logs and {@code /status}: {@code api-key}, {@code basic}, {@code jwt}, {@code forward} */
    String name();

    /**
     * Whether the request carries a credential of this mechanism (a header or scheme is there;
     * nothing is checked). The first mechanism whose credential is present decides.
     *
     * @param request the client→proxy request
     * @return whether this mechanism takes the request
     */
    boolean presentIn(RequestHead request);

    /** @return the {@code WWW-Authenticate} challenge for a 401 without credentials, or empty for none */
    Optional<String> challenge();

    /**
     * Checks the credential and, when it is good, removes it from the request (unless configured
     * to forward it).
     *
     * @param exchange the exchange, whose request {@link #presentIn} accepted
     * @return the verdict; never failed (failures are {@link Verdict.Rejected} with a 503)
     */
    CompletionStage<Verdict> authenticate(Exchange exchange);

    /** @return one or more lines for {@code /status}, each ending with a newline */
    String status();

    /** Stops timers and watchers. */
    @Override
    default void close() {
    }
}
