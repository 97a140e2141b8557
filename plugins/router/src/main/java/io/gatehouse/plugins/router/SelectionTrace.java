package io.gatehouse.plugins.router;

import java.util.Optional;

/** Receives each route the table considers for one request, in order; for explanations. */
interface SelectionTrace {

    /** Records nothing: the request path. */
    SelectionTrace NONE = (route, hostRule, mismatch) -> { };

    /**
     * @param route the candidate
     * @param hostRule how its host condition matched, e.g. {@code host *.example.com}
     * @param mismatch the condition that failed, empty when the route matched
     */
    void considered(Route route, String hostRule, Optional<String> mismatch);
}
