package io.gatehouse.plugins.router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes indexed for selection. The most specific route whose conditions all hold wins:
 * first by host (exact name, then wildcards from the longest suffix, then routes without a host
 * condition), then by path (exact, then prefixes from the longest, then regular expressions,
 * then routes without a path condition); ties go to the route listed first. When none holds,
 * the default route, if any.
 *
 * <p>Cost: one hash lookup for the host (plus one per label for wildcards), one for the exact
 * path and one per path segment in the prefix tree, whatever the number of routes; only regular
 * expression routes of the matching host are tried one by one.
 */
final class RouteTable {

    private final Map<String, PathIndex> exactHosts = new HashMap<>();
    private final Map<String, PathIndex> wildcardHosts = new HashMap<>();
    private final PathIndex anyHost = new PathIndex("any host");
    private final Optional<Route> fallback;

    /**
     * @param routes the routes in config order
     * @param fallback the default route
     */
    RouteTable(List<Route> routes, Optional<Route> fallback) {
        this.fallback = fallback;
        for (Route route : routes) {
            if (route.hosts().isEmpty()) {
                anyHost.add(route);
            }
            for (HostPattern host : route.hosts()) {
                Map<String, PathIndex> tier = host.wildcard() ? wildcardHosts : exactHosts;
                tier.computeIfAbsent(host.value(), k -> new PathIndex("host " + host)).add(route);
            }
        }
    }

    /**
     * @param request the request
     * @param trace receives every route considered
     * @return the chosen route, or empty (404)
     */
    Optional<Route> select(RequestFacts request, SelectionTrace trace) {
        String host = request.host();
        PathIndex exact = exactHosts.get(host);
        if (exact != null) {
            Route route = exact.select(request, trace);
            if (route != null) {
                return Optional.of(route);
            }
        }
        if (!wildcardHosts.isEmpty()) {
            for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
                PathIndex wildcard = wildcardHosts.get(host.substring(dot));
                Route route = wildcard == null ? null : wildcard.select(request, trace);
                if (route != null) {
                    return Optional.of(route);
                }
            }
        }
        Route route = anyHost.select(request, trace);
        return route != null ? Optional.of(route) : fallback;
    }

    /** The routes of one host rule, indexed by path condition. */
    private static final class PathIndex {
        private final String hostRule;
        private final Map<String, List<Route>> exact = new HashMap<>();
        private final PrefixNode prefixes = new PrefixNode();
        private final List<Route> regex = new ArrayList<>();
        private final List<Route> any = new ArrayList<>();

        PathIndex(String hostRule) {
            this.hostRule = hostRule;
        }

        void add(Route route) {
            PathCondition path = route.path();
            switch (path.kind()) {
                case EXACT -> exact.computeIfAbsent(path.value(), k -> new ArrayList<>(1)).add(route);
                case PREFIX -> prefixes.node(path.value()).routes.add(route);
                case REGEX -> regex.add(route);
                case ANY -> any.add(route);
            }
        }

        Route select(RequestFacts request, SelectionTrace trace) {
            String path = request.path();
            if (path.startsWith("/")) {
                Route route = first(exact.get(path), request, trace);
                if (route == null) {
                    route = longestPrefix(prefixes, path, 1, request, trace);
                }
                for (int i = 0; route == null && i < regex.size(); i++) {
                    Route candidate = regex.get(i);
                    if (candidate.path().pattern().matcher(path).matches() && accepts(candidate, request, trace)) {
                        route = candidate;
                    }
                }
                if (route != null) {
                    return route;
                }
            }
            return first(any, request, trace);
        }

        /** Tries the deepest matching prefix node first, then its ancestors on the way back. */
        private Route longestPrefix(PrefixNode node, String path, int from, RequestFacts request, SelectionTrace trace) {
            if (node.children != null && from < path.length()) {
                int end = path.indexOf('/', from);
                int stop = end < 0 ? path.length() : end;
                PrefixNode child = stop > from ? node.children.get(path.substring(from, stop)) : null;
                if (child != null) {
                    Route route = longestPrefix(child, path, stop + 1, request, trace);
                    if (route != null) {
                        return route;
                    }
                }
            }
            return first(node.routes, request, trace);
        }

        private Route first(List<Route> routes, RequestFacts request, SelectionTrace trace) {
            if (routes == null) {
                return null;
            }
            for (int i = 0; i < routes.size(); i++) {
                if (accepts(routes.get(i), request, trace)) {
                    return routes.get(i);
                }
            }
            return null;
        }

        private boolean accepts(Route route, RequestFacts request, SelectionTrace trace) {
            Optional<String> mismatch = route.mismatch(request);
            trace.considered(route, hostRule, mismatch);
            return mismatch.isEmpty();
        }
    }

    /** A node of the prefix tree: one path segment. */
    private static final class PrefixNode {
        private Map<String, PrefixNode> children;
        private final List<Route> routes = new ArrayList<>(1);

        /** @return the node of a normalised prefix, created as needed */
        PrefixNode node(String prefix) {
            PrefixNode node = this;
            for (String segment : prefix.substring(1).split("/")) {
                if (segment.isEmpty()) {
                    continue;
                }
                if (node.children == null) {
                    node.children = new HashMap<>();
                }
                node = node.children.computeIfAbsent(segment, k -> new PrefixNode());
            }
            return node;
        }
    }
}
