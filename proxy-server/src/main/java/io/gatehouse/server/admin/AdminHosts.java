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
 */
final class AdminHosts extends Filter {

    private final Set<String> allowed;

    AdminHosts(List<String> allowedHosts) {
        this.allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || allows(host)) {
            chain.doFilter(exchange);
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
