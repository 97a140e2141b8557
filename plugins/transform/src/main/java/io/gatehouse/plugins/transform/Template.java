package io.gatehouse.plugins.transform;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.Keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A value with request facts in it, parsed once at start-up: {@code ${client_ip}},
 * {@code ${method}}, {@code ${host}}, {@code ${path}}, {@code ${route}}, {@code ${cluster}},
 * {@code ${request_id}}, {@code ${consumer}}, {@code ${header.NAME}}, {@code ${query.NAME}},
 * {@code ${segment.N}} (the N-th path segment, from 1); {@code $$} is a dollar sign. A fact that
 * is absent is empty.
 */
final class Template {

    private final List<Function<Exchange, String>> parts;
    private final boolean constant;

    private Template(List<Function<Exchange, String>> parts, boolean constant) {
        this.parts = List.copyOf(parts);
        this.constant = constant;
    }

    /**
     * @param text the configured value
     * @return the template
     * @throws IllegalArgumentException naming an unknown fact or an unclosed {@code ${}
     */
    static Template parse(String text) {
        List<Function<Exchange, String>> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean constant = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                literal.append('$');
                i++;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("'${' without '}' in \"" + text + "\"");
                }
                if (literal.length() > 0) {
                    String fixed = literal.toString();
                    parts.add(exchange -> fixed);
                    literal.setLength(0);
                }
                parts.add(fact(text.substring(i + 2, end)));
                constant = false;
                i = end;
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0 || parts.isEmpty()) {
            String fixed = literal.toString();
            parts.add(exchange -> fixed);
        }
        return new Template(parts, constant);
    }

    private static Function<Exchange, String> fact(String name) {
        switch (name) {
            case "client_ip":
                return exchange -> exchange.clientIp().getHostAddress();
            case "method":
                return exchange -> exchange.request().method();
            case "host":
                return exchange -> exchange.request().host();
            case "path":
                return exchange -> exchange.request().path();
            case "route":
                return exchange -> exchange.route().orElse("");
            case "cluster":
                return exchange -> exchange.cluster().orElse("");
            case "request_id":
                return Exchange::id;
            case "consumer":
                return exchange -> exchange.attribute(Keys.CONSUMER).orElse("");
            default:
                break;
        }
        if (name.startsWith("header.") && name.length() > 7) {
            String header = name.substring(7);
            return exchange -> exchange.request().headers().first(header).orElse("");
        }
        if (name.startsWith("query.") && name.length() > 6) {
            String parameter = name.substring(6);
            return exchange -> QueryEdits.parameter(exchange.request().query().orElse(""), parameter).orElse("");
        }
        if (name.matches("segment\\.[1-9][0-9]?")) {
            int index = Integer.parseInt(name.substring(8));
            return exchange -> segment(exchange.request().path(), index);
        }
        throw new IllegalArgumentException("unknown fact ${" + name + "}: use client_ip, method, host, path, route, cluster, "
                + "request_id, consumer, header.NAME, query.NAME or segment.N");
    }

    private static String segment(String path, int index) {
        String[] segments = path.split("/");
        return index < segments.length ? segments[index] : "";
    }

    /** @return the value for this exchange */
    String render(Exchange exchange) {
        if (parts.size() == 1) {
            return parts.get(0).apply(exchange);
        }
        StringBuilder value = new StringBuilder();
        for (Function<Exchange, String> part : parts) {
            value.append(part.apply(exchange));
        }
        return value.toString();
    }

    /** @return whether the value has no facts in it */
    boolean constant() {
        return constant;
    }

    @Override
    public String toString() {
        return constant ? "constant" : "template";
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
