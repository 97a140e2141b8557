package io.gatehouse.plugins.router;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.Response;
import io.gatehouse.api.http.PathNormalizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Routes each request: takes its normalised path ({@link PathNormalizer}, as the server
 * normalised it), picks the most specific matching route, and applies the route's decisions to
 * the exchange (route and cluster names, upstream, rewritten path, {@code Host}, response
 * timeout). Refused paths get 400 (the server refuses them before any filter; this is the
 * defence for a target an earlier filter set), requests no route takes get 404.
 * Immutable after construction, so shared safely by all I/O threads.
 */
final class RouterFilter implements ProxyFilter {

    private static final CompletionStage<FilterResult> NOT_FOUND =
            FilterResult.respond(Response.text(404, "Not Found: no route for this request"));

    private final RouteTable table;

    RouterFilter(RouterConfig config) {
        this.table = new RouteTable(config.routes(), config.fallback());
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        RequestHead request = exchange.request();
        String path;
        try {
            path = normalizedPath(request);
        } catch (IllegalArgumentException e) {
            return FilterResult.respond(Response.text(400, "Bad Request: " + e.getMessage()));
        }
        Optional<Route> route = table.select(facts(request, path), SelectionTrace.NONE);
        if (route.isEmpty()) {
            return NOT_FOUND;
        }
        apply(route.get(), exchange, path);
        return FilterResult.proceed();
    }

    @Override
    public List<String> explain(Exchange exchange) {
        RequestHead request = exchange.request();
        List<String> lines = new ArrayList<>();
        String path;
        try {
            path = normalizedPath(request);
        } catch (IllegalArgumentException e) {
            lines.add("path " + quote(request.path()) + " refused: " + e.getMessage() + " -> 400");
            exchange.setAttribute(Keys.EXPLAINED_ANSWER, 400);
            return lines;
        }
        RequestFacts facts = facts(request, path);
        String sent = rawPath(request);
        lines.add("host " + quote(facts.host()) + (facts.host().equals(request.authority()) ? "" : " (sent as " + quote(request.authority()) + ")")
                + ", path " + quote(path) + (path.equals(sent) ? "" : " (sent as " + quote(sent) + ")"));
        lines.add("order: host exact > wildcard (longest) > any; then path exact > longest prefix > regex > any; then list order");
        Optional<Route> route = table.select(facts, (candidate, hostRule, mismatch) -> lines.add("route " + candidate.name()
                + " [" + hostRule + ", " + candidate.path() + "]: "
                + mismatch.map(m -> "skipped, " + m + " does not hold").orElse("matches")));
        if (route.isEmpty()) {
            lines.add("no route matches -> 404");
            exchange.setAttribute(Keys.EXPLAINED_ANSWER, 404);
            return lines;
        }
        Route chosen = route.get();
        if (chosen.index() < 0) {
            lines.add("no route matches: default route " + chosen.name());
        }
        apply(chosen, exchange, path);
        lines.add("chosen: route " + chosen.name() + " -> " + chosen.destination()
                + (chosen.rewrite().isNone() ? "" : ", " + chosen.rewrite())
                + ", origin target " + exchange.request().target()
                + chosen.hostRewrite().map(h -> ", Host " + h).orElse("")
                + chosen.timeout().map(t -> ", timeout " + format(t)).orElse(""));
        return lines;
    }

    /**
     * The server normalised the path before any filter ran, so this is normally the path as it
     * is (no allocation); it matters when an earlier filter set a target of its own.
     */
    private static String normalizedPath(RequestHead request) {
        String path = request.path();
        return path.equals("*") ? path : PathNormalizer.normalize(path);
    }

    private static String rawPath(RequestHead request) {
        String raw = request.rawTarget();
        int q = raw.indexOf('?');
        return q < 0 ? raw : raw.substring(0, q);
    }

    private static RequestFacts facts(RequestHead request, String path) {
        return new RequestFacts(request.method(), HostPattern.normalize(request.authority()), path,
                request.query().orElse(""), request.headers());
    }

    private static void apply(Route route, Exchange exchange, String path) {
        exchange.setRoute(route.name());
        route.cluster().ifPresent(exchange::setCluster);
        route.upstream().ifPresent(exchange::setUpstream);
        route.timeout().ifPresent(exchange::setResponseTimeout);
        route.hostRewrite().ifPresent(exchange::setOriginHost);
        RequestHead request = exchange.request();
        if (path.equals("*")) {
            return;
        }
        String forwarded = route.rewrite().isNone() ? path : route.rewrite().apply(path);
        if (!forwarded.equals(request.path())) {
            String separator = forwarded.indexOf('?') >= 0 ? "&" : "?";
            request.setTarget(request.query().map(q -> forwarded + separator + q).orElse(forwarded));
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static String format(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
