package io.gatehouse.plugins.router;

import io.gatehouse.api.Upstream;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One configured route: its match conditions (all must hold), where it sends the request, and
 * what it changes on the way.
 *
 * @param name the route's name, set on the exchange
 * @param index its position in {@code routes} (ties go to the lower), or -1 for the default route
 * @param hosts host conditions, any of which must hold; empty for any host
 * @param path the path condition
 * @param methods allowed methods; empty for any
 * @param headers header conditions
 * @param query query parameter conditions
 * @param cluster the cluster that serves the route, or empty
 * @param upstream the single origin that serves the route, or empty
 * @param rewrite the path rewrite
 * @param hostRewrite the {@code Host} the origin sees, or empty
 * @param timeout the response timeout, or empty for the server's
 */
record Route(String name, int index, List<HostPattern> hosts, PathCondition path, Set<String> methods,
             List<ValueMatcher> headers, List<ValueMatcher> query, Optional<String> cluster, Optional<Upstream> upstream,
             PathRewrite rewrite, Optional<String> hostRewrite, Optional<Duration> timeout) {

    Route {
        hosts = List.copyOf(hosts);
        methods = Set.copyOf(methods);
        headers = List.copyOf(headers);
        query = List.copyOf(query);
    }

    /**
     * Checks the conditions other than host and path (the route table has checked those).
     *
     * @param request the request
     * @return the first condition that does not hold, as written in the config; empty when all hold
     */
    Optional<String> mismatch(RequestFacts request) {
        if (!methods.isEmpty() && !methods.contains(request.method())) {
            return Optional.of("methods " + methods);
        }
        for (ValueMatcher header : headers) {
            if (!header.matches(request.header(header.name()))) {
                return Optional.of("headers " + header.description());
            }
        }
        for (ValueMatcher parameter : query) {
            if (!parameter.matches(request.queryParameter(parameter.name()))) {
                return Optional.of("query " + parameter.description());
            }
        }
        return Optional.empty();
    }

    /** @return where the route sends requests, for explanations */
    String destination() {
        return cluster.map(c -> "cluster " + c).orElseGet(() -> "upstream " + upstream.map(Upstream::toString).orElse("?"));
    }
}
