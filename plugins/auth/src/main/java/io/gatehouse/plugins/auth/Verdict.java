package io.gatehouse.plugins.auth;

import io.gatehouse.api.Response;

/** What a mechanism decided about a request's credential. */
sealed interface Verdict permits Verdict.Authenticated, Verdict.Rejected {

    /**
     * The credential is good.
     *
     * @param identity who the request comes from
     */
    record Authenticated(Identity identity) implements Verdict {
    }

    /**
     * The request is refused.
     *
     * @param reason a stable code for logs and {@code /status} ({@code invalid_credentials},
     *     {@code expired}, {@code keys_unavailable}, ...), never the credential
     * @param response the answer for the client
     */
    record Rejected(String reason, Response response) implements Verdict {
    }
}
