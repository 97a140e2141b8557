package io.gatehouse.plugins.auth;

import io.gatehouse.api.Response;

import java.util.List;

/**
 * The answers of an auth filter and their {@code WWW-Authenticate} challenges (RFC 9110 §11.6.1,
 * RFC 7617 for Basic, RFC 6750 §3 for Bearer). Bodies are fixed texts: they never say whether a
 * user or key exists, nor quote anything the client sent. Immutable.
 */
final class Challenges {

    static final String HEADER = "WWW-Authenticate";

    private final String realm;

    /** @param realm the realm, already checked to hold no quote, backslash or control character */
    Challenges(String realm) {
        this.realm = realm;
    }

    /** @return {@code Basic realm="...", charset="UTF-8"} */
    String basic() {
        return "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
    }

    /** @return {@code Bearer realm="..."}, for a request without a token */
    String bearer() {
        return "Bearer realm=\"" + realm + "\"";
    }

    /**
     * @param error the RFC 6750 error code ({@code invalid_token}, {@code invalid_request}, {@code insufficient_scope})
     * @param description a fixed text without quotes or backslashes
     * @return the Bearer challenge with {@code error} and {@code error_description}
     */
    String bearer(String error, String description) {
        return bearer() + ", error=\"" + error + "\", error_description=\"" + description + "\"";
    }

    /** @return {@code ApiKey realm="..."} (API keys have no registered scheme; Kong and others answer alike) */
    String apiKey() {
        return "ApiKey realm=\"" + realm + "\"";
    }

    /**
     * @param challenges one challenge per mechanism the request could have used
     * @return 401 for a request without credentials
     */
    Response missing(List<String> challenges) {
        return withChallenges(401, challenges, "Unauthorized: authentication required");
    }

    /**
     * @param challenge the challenge of the mechanism whose credential was refused
     * @return 401 for a credential that was refused, for whatever reason
     */
    Response invalid(String challenge) {
        return withChallenges(401, List.of(challenge), "Unauthorized: invalid credentials");
    }

    /**
     * @param challenge the Bearer challenge with {@code error="invalid_request"}
     * @return 400 for a malformed Bearer request (RFC 6750 §3.1)
     */
    Response malformed(String challenge) {
        return withChallenges(400, List.of(challenge), "Bad Request: malformed credentials");
    }

    /**
     * @param challenges a Bearer {@code insufficient_scope} challenge, or none
     * @return 403 for an authenticated request that is not allowed
     */
    Response forbidden(List<String> challenges) {
        return withChallenges(403, challenges, "Forbidden");
    }

    /**
     * @param what what is unavailable, a fixed text
     * @return 503 when the credential cannot be checked now (keys not fetched, auth service down, overloaded)
     */
    static Response unavailable(String what) {
        return Response.status(503).header("Content-Type", "text/plain; charset=utf-8").header("Retry-After", "5")
                .body("Service Unavailable: " + what + "\n").build();
    }

    private static Response withChallenges(int status, List<String> challenges, String text) {
        Response.Builder builder = Response.status(status).header("Content-Type", "text/plain; charset=utf-8")
                .header("Cache-Control", "no-store");
        challenges.forEach(c -> builder.header(HEADER, c));
        return builder.body(text + "\n").build();
    }
}
