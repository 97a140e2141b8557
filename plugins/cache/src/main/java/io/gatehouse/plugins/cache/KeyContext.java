package io.gatehouse.plugins.cache;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.Keys;
import io.gatehouse.api.RequestHead;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of a cache key besides the URI: how the request reached the proxy and where the
 * proxy sends it. Two requests for one URI share an entry only when both parts are equal.
 *
 * <ul>
 *   <li>{@code client}: the scheme ({@link RequestHead#scheme()}), {@code X-Forwarded-Proto},
 *       {@code X-Forwarded-Host} and the {@code host=} and {@code proto=} parameters of
 *       {@code Forwarded}, as filters see them (the server has replaced them unless the peer is a
 *       trusted proxy), so an answer made for one scheme or public host is never served for
 *       another. The client's address ({@code for=}, {@code X-Forwarded-For}) is not part of it.</li>
 *   <li>{@code routing}: the route, cluster and canary side chosen for the exchange, the
 *       {@code Host} chosen for the origin, and the origin target when a filter rewrote it. An
 *       upstream chosen without a route, cluster or canary side naming it cannot be told apart
 *       from another: such an exchange has no routing ({@link #routing} is empty) and bypasses
 *       the cache.</li>
 * </ul>
 *
 * @param client how the request reached the proxy
 * @param routing where the proxy sends it
 */
record KeyContext(String client, String routing) {

    private static final Optional<String> NO_ROUTING = Optional.of("");

    /** @return both parts, as one string (the start of a variant's key) */
    String id() {
        return client + '\n' + routing;
    }

    /** @return the {@code client} part of a request's context */
    static String client(RequestHead request) {
        return client(request, RequestFields.read(request.headers()));
    }

    /**
     * @param request the request
     * @param fields its fields
     * @return the {@code client} part of its context: only the scheme when the forwarding fields
     *     say nothing else (those the listener writes for a client that is not a trusted proxy)
     */
    static String client(RequestHead request, RequestFields fields) {
        String scheme = request.scheme();
        String authority = request.authority();
        if (only(fields.forwardedProto(), scheme) && only(fields.forwardedHost(), authority)
                && fields.forwarded().size() == 1 && ownForwarded(fields.forwarded().get(0), authority, scheme)) {
            return scheme;
        }
        StringBuilder client = new StringBuilder(96).append(scheme).append('|');
        appendAll(fields.forwardedProto(), client);
        client.append('|');
        appendAll(fields.forwardedHost(), client);
        client.append('|');
        for (String line : fields.forwarded()) {
            forwardedHostAndProto(line, client);
        }
        return client.toString();
    }

    private static boolean only(List<String> values, String expected) {
        return values.size() == 1 && values.get(0).equals(expected);
    }

    /** @return whether a {@code Forwarded} line is the one element {@code for=ADDRESS;host=AUTHORITY;proto=SCHEME} */
    private static boolean ownForwarded(String line, String authority, String scheme) {
        int suffix = 6 + authority.length() + 7 + scheme.length();
        int start = line.length() - suffix;
        return start > 4 && line.startsWith("for=") && line.indexOf(';') == start && line.indexOf(',') < 0 && line.indexOf('"') < 0
                && line.startsWith(";host=", start) && line.startsWith(authority, start + 6)
                && line.startsWith(";proto=", start + 6 + authority.length()) && line.endsWith(scheme);
    }

    /**
     * @return the {@code routing} part of an exchange's context, empty when an upstream was chosen
     *     without a route, cluster or canary side naming it
     */
    static Optional<String> routing(Exchange exchange, String clientTarget) {
        Optional<String> route = exchange.route();
        Optional<String> cluster = exchange.cluster();
        Optional<String> side = exchange.attribute(Keys.CANARY_SIDE);
        Optional<String> originHost = exchange.originHost();
        String target = exchange.request().target();
        boolean rewritten = !target.equals(clientTarget);
        if (route.isEmpty() && cluster.isEmpty() && side.isEmpty()) {
            if (exchange.upstreamSelector().isPresent()) {
                return Optional.empty();
            }
            if (originHost.isEmpty() && !rewritten) {
                return NO_ROUTING; // the server's upstream, the client's target: the common case without routing filters
            }
        }
        return Optional.of(route.orElse("") + '|' + cluster.orElse("") + '|' + side.orElse("") + '|' + originHost.orElse("")
                + '|' + (rewritten ? target : ""));
    }

    private static void appendAll(List<String> values, StringBuilder out) {
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append(values.get(i).trim());
        }
    }

    /** Appends the {@code host=} and {@code proto=} pairs of a {@code Forwarded} line (RFC 7239), lower case, elements separated by commas. */
    static void forwardedHostAndProto(String line, StringBuilder out) {
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            boolean quoted = false;
            boolean upper = false;
            for (; i < n; i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && (c == ';' || c == ',')) {
                    break;
                }
                upper |= c >= 'A' && c <= 'Z';
            }
            if (line.regionMatches(true, start, "host=", 0, 5) || line.regionMatches(true, start, "proto=", 0, 6)) {
                int end = i;
                while (end > start && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
                    end--;
                }
                if (upper) {
                    out.append(line.substring(start, end).toLowerCase(Locale.ROOT));
                } else {
                    out.append(line, start, end);
                }
                out.append(';');
            }
            if (i >= n || line.charAt(i) == ',') {
                out.append(',');
            }
            i++;
        }
    }
}
