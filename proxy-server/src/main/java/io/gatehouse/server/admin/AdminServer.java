package io.gatehouse.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.server.chain.ChainEntry;
import io.gatehouse.server.chain.FilterChain;
import io.gatehouse.server.exchange.RequestExplainer;
import io.gatehouse.server.listener.ProxyEngine;
import io.gatehouse.server.metrics.ServerMetrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The admin listener ({@code admin.listen}). Operations, answered in JSON: {@code POST /reload}
 * (200 applied, 422 rejected with the reason), {@code POST /drain} (202), {@code GET /config}
 * (effective config, secrets redacted), {@code GET /plugins}; {@code /health}, {@code /ready}
 * and {@code /chain} answer JSON to {@code Accept: application/json} or {@code ?format=json}
 * ({@code /chain?url=URL} also gives the effective chain for a request), text otherwise. With
 * {@code admin.token}, all but {@code GET /health} and {@code GET /ready} need {@code
 * Authorization: Bearer TOKEN}. Text endpoints: {@code GET /health} (the process is up),
 * {@code GET /ready} (accepting traffic; 503 while draining), {@code GET /chain} (the filters in
 * order), {@code GET /stats} (exchanges in flight), {@code GET /metrics} (every meter, Prometheus text format), {@code GET /explain?method=GET&url=URL&header=Name:value}
 * (which route and filters a request would take, and why) and {@code GET /status} (the live state
 * filters publish, such as a load balancer's endpoints); {@code GET /} is the live dashboard (see {@link Dashboard}).
 * Bind it to loopback or a private network.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpServer server;
    private final Dashboard dashboard;

    private AdminServer(HttpServer server, Dashboard dashboard) {
        this.server = server;
        this.dashboard = dashboard;
    }

    /**
     * @param address where to listen
     * @param chain the current chain
     * @param draining whether the proxy is shutting down
     * @param inFlight exchanges in flight
     * @param connections client connection counts
     * @param allowedHosts host names the listener answers to besides IP literals and {@code localhost}
     * @param explainer explains requests against the current chain
     * @param metrics the meters served at {@code /metrics}
     * @return the running admin server
     * @throws IOException when the address cannot be bound
     */
    public static AdminServer start(InetSocketAddress address, Supplier<FilterChain> chain, BooleanSupplier draining,
                                    IntSupplier inFlight, Supplier<ProxyEngine.ConnectionStats> connections,
                                    List<String> allowedHosts, Supplier<RequestExplainer> explainer, ServerMetrics metrics)
            throws IOException {
        return start(address, chain, draining, inFlight, connections, allowedHosts, explainer, metrics, AdminActions.none());
    }

    /**
     * @param address where to listen
     * @param chain the current chain
     * @param draining whether the proxy is draining or shutting down
     * @param inFlight exchanges in flight
     * @param connections client connection counts
     * @param allowedHosts host names the listener answers to besides IP literals and {@code localhost}
     * @param explainer explains requests against the current chain
     * @param metrics the meters served at {@code /metrics}
     * @param actions reload, drain, config, plugins and the token
     * @return the running admin server
     * @throws IOException when the address cannot be bound
     */
    public static AdminServer start(InetSocketAddress address, Supplier<FilterChain> chain, BooleanSupplier draining,
                                    IntSupplier inFlight, Supplier<ProxyEngine.ConnectionStats> connections,
                                    List<String> allowedHosts, Supplier<RequestExplainer> explainer, ServerMetrics metrics,
                                    AdminActions actions)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        AdminHosts hosts = new AdminHosts(allowedHosts, actions.token());
        serve(server, hosts, "/health", exchange -> {
            if (wantsJson(exchange)) {
                replyJson(exchange, 200, fields("status", "ok"));
            } else {
                reply(exchange, 200, "ok\n");
            }
        });
        serve(server, hosts, "/ready", exchange -> {
            boolean ready = !draining.getAsBoolean();
            if (wantsJson(exchange)) {
                replyJson(exchange, ready ? 200 : 503, fields("ready", ready, "status", ready ? "ready" : "draining"));
            } else {
                reply(exchange, ready ? 200 : 503, ready ? "ready\n" : "draining\n");
            }
        });
        serve(server, hosts, "/reload", exchange -> {
            if (post(exchange)) {
                Map<String, Object> result = actions.reload().get();
                replyJson(exchange, "applied".equals(result.get("status")) ? 200 : 422, result);
            }
        });
        serve(server, hosts, "/drain", exchange -> {
            if (post(exchange)) {
                replyJson(exchange, 202, actions.drain().get());
            }
        });
        serve(server, hosts, "/config", exchange -> replyJson(exchange, 200, actions.config().get()));
        serve(server, hosts, "/plugins", exchange -> replyJson(exchange, 200, fields("plugins", actions.plugins().get())));
        serve(server, hosts, "/chain", exchange -> {
            if (wantsJson(exchange) || query(exchange).containsKey("url")) {
                chainJson(exchange, chain.get(), explainer.get());
                return;
            }
            StringBuilder text = new StringBuilder();
            int i = 0;
            for (ChainEntry entry : chain.get().entries()) {
                text.append(i++).append(' ').append(entry.name()).append(" (").append(entry.type()).append(")\n");
            }
            reply(exchange, 200, text.length() == 0 ? "no filters: plain reverse proxy\n" : text.toString());
        });
        serve(server, hosts, "/stats", exchange -> {
            ProxyEngine.ConnectionStats stats = connections.get();
            reply(exchange, 200, "in_flight " + inFlight.getAsInt() + "\nconnections_open " + stats.open()
                    + "\nconnections_asleep " + stats.asleep() + "\nconnections_refused " + stats.refused()
                    + "\nconnections_keeping_tls_buffers " + stats.tlsBuffersKept() + "\n");
        });
        serve(server, hosts, "/metrics", exchange -> reply(exchange, 200, metrics.scrape(), ServerMetrics.CONTENT_TYPE));
        serve(server, hosts, "/explain", exchange -> explain(exchange, explainer.get()));
        serve(server, hosts, "/status", exchange -> {
            StringBuilder text = new StringBuilder();
            for (ChainEntry entry : chain.get().entries()) {
                entry.filter().status().ifPresent(status -> text.append("== ").append(entry.name()).append(" (")
                        .append(entry.type()).append(")\n").append(status).append(status.endsWith("\n") ? "" : "\n"));
            }
            reply(exchange, 200, text.length() == 0 ? "no filter has a status to show\n" : text.toString());
        });
        Dashboard dashboard = Dashboard.start(metrics.registry());
        serve(server, hosts, "/dashboard.json", dashboard::serveJson);
        serve(server, hosts, "/", exchange -> dashboard.servePage(exchange,
                "not found: try / (the dashboard), /health, /ready, /chain, /stats, /metrics, /explain, /status\n"));
        server.start();
        return new AdminServer(server, dashboard);
    }

    private static void serve(HttpServer server, AdminHosts hosts, String path, HttpHandler handler) {
        server.createContext(path, handler).getFilters().add(hosts);
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void explain(HttpExchange exchange, RequestExplainer explainer) throws IOException {
        String method = "GET";
        String url = null;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (name) {
                case "method" -> method = value;
                case "url" -> url = value;
                case "header" -> {
                    int colon = value.indexOf(':');
                    if (colon <= 0) {
                        reply(exchange, 400, "header must be Name:value\n");
                        return;
                    }
                    headers.add(Map.entry(value.substring(0, colon).trim(), value.substring(colon + 1).trim()));
                }
                default -> {
                    reply(exchange, 400, "unknown parameter " + name + ": use method, url, header\n");
                    return;
                }
            }
        }
        if (url == null) {
            reply(exchange, 400, "usage: /explain?method=GET&url=http://host/path&header=Name:value\n");
            return;
        }
        try {
            reply(exchange, 200, String.join("\n", explainer.explain(method, url, headers)) + "\n");
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, e.getMessage() + "\n");
        }
    }

    private static boolean wantsJson(HttpExchange exchange) {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains("application/json") || "json".equals(query(exchange).get("format"));
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            parameters.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static boolean post(HttpExchange exchange) throws IOException {
        if ("POST".equals(exchange.getRequestMethod())) {
            exchange.getRequestBody().readAllBytes();
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "POST");
        replyJson(exchange, 405, fields("error", "use POST"));
        return false;
    }

    /** The ordered filter instances, and with {@code url} (and {@code method}, {@code header}) the effective chain for that request. */
    private static void chainJson(HttpExchange exchange, FilterChain chain, RequestExplainer explainer) throws IOException {
        List<Object> filters = new ArrayList<>();
        int i = 0;
        for (ChainEntry entry : chain.entries()) {
            Map<String, Object> filter = new java.util.LinkedHashMap<>();
            filter.put("index", i++);
            filter.put("name", entry.name());
            filter.put("type", entry.type());
            filter.put("status", entry.filter().status());
            filters.add(filter);
        }
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("filters", filters);
        Map<String, String> query = query(exchange);
        if (query.containsKey("url")) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            String header = query.get("header");
            if (header != null && header.indexOf(':') > 0) {
                headers.add(Map.entry(header.substring(0, header.indexOf(':')).trim(), header.substring(header.indexOf(':') + 1).trim()));
            }
            try {
                answer.put("request", explainer.explain(query.getOrDefault("method", "GET"), query.get("url"), headers));
            } catch (IllegalArgumentException e) {
                replyJson(exchange, 400, fields("error", String.valueOf(e.getMessage())));
                return;
            }
        }
        replyJson(exchange, 200, answer);
    }

    /** @return the name/value pairs as a JSON object's fields, in order */
    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    private static void replyJson(HttpExchange exchange, int status, Object value) throws IOException {
        reply(exchange, status, Json.write(value) + "\n", "application/json");
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        reply(exchange, status, text, "text/plain; charset=utf-8");
    }

    private static void reply(HttpExchange exchange, int status, String text, String contentType) throws IOException {
        try (exchange) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        dashboard.close();
    }
}
