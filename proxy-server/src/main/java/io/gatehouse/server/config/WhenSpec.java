package io.gatehouse.server.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code filters[i].when} condition: all given parts must hold.
 *
 * @param route route names, any of which matches
 * @param hosts hosts (exact, or {@code *.suffix}), any of which matches
 * @param pathPrefixes path prefixes on segment boundaries, any of which matches
 * @param methods methods, any of which matches
 * @param headers header name → required value ({@code "*"} for present)
 */
public record WhenSpec(List<String> route, List<String> hosts, List<String> pathPrefixes, List<String> methods,
                       Map<String, String> headers) {

    /** Always true. */
    public static final WhenSpec ALWAYS = new WhenSpec(List.of(), List.of(), List.of(), List.of(), Map.of());

    /** Copies collections. */
    public WhenSpec {
        route = List.copyOf(route);
        hosts = List.copyOf(hosts);
        pathPrefixes = List.copyOf(pathPrefixes);
        methods = List.copyOf(methods);
        headers = Map.copyOf(headers);
    }

    /** @return whether the condition always holds */
    public boolean always() {
        return route.isEmpty() && hosts.isEmpty() && pathPrefixes.isEmpty() && methods.isEmpty() && headers.isEmpty();
    }

    /** @return the route names, if the condition names any */
    public Optional<List<String>> routes() {
        return route.isEmpty() ? Optional.empty() : Optional.of(route);
    }
}
