package io.gatehouse.server.admin;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import org.apache.hc.core5.net.InetAddressUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The admin listener answers only requests whose {@code Host} names it: an IP literal, {@code
 * localhost}, or a name of {@code admin.allowed-hosts}. A web page that rebinds its own domain
 * name to the admin address (DNS rebinding) sends its domain as {@code Host} and gets {@code 403},
 * so it cannot read {@code /status} or {@code /explain}. A request without {@code Host} (HTTP/1.0
 * tools) is answered: browsers always send one.
 *
 * <p>With {@code admin.token} set, every request but {@code GET /health} and {@code GET /ready}
 * (probes of load balancers and orchestrators) must also carry {@code Authorization: Bearer
 * TOKEN}; otherwise it gets {@code 401}. The token is compared in constant time.
 */
final class AdminHosts extends Filter {

    private final Set<String> allowed;
    private final java.util.Optional<byte[]> token;

    AdminHosts(List<String> allowedHosts) {
        this(allowedHosts, java.util.Optional.empty());
    }

    AdminHosts(List<String> allowedHosts, java.util.Optional<String> token) {
        this.allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    private boolean authorized(HttpExchange exchange) {
        if (token.isEmpty()) {
            return true;
        }
        String path = exchange.getRequestURI().getPath();
        if (("/health".equals(path) || "/ready".equals(path)) && "GET".equals(exchange.getRequestMethod())) {
            return true;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return java.security.MessageDigest.isEqual(given, token.get());
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || allows(host)) {
            if (authorized(exchange)) {
                chain.doFilter(exchange);
                return;
            }
            byte[] body = "{\"error\":\"unauthorized: send Authorization: Bearer <admin.token>\"}\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"gatehouse-admin\"");
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            return;
        }
        byte[] body = "forbidden: the admin listener does not answer to this Host (see admin.allowed-hosts)\n"
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(403, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public String description() {
        return "admin Host check";
    }

    /**
     * @param host a {@code Host} value, with or without port
     * @return whether the admin listener answers to it
     */
    boolean allows(String host) {
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int close = name.indexOf(']');
            return close > 0 && InetAddressUtils.isIPv6(name.substring(1, close));
        }
        int colon = name.lastIndexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        return name.equals("localhost") || InetAddressUtils.isIPv4(name) || allowed.contains(name);
    }
}
