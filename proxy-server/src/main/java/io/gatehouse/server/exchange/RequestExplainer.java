package io.gatehouse.server.exchange;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.http.PathNormalizer;
import io.gatehouse.server.chain.ChainEntry;
import io.gatehouse.server.chain.FilterChain;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Answers "which way would this request go, and why" without sending anything: a synthetic
 * exchange walks the chain, each filter's {@code when:} is evaluated, and filters that can
 * explain themselves ({@link io.gatehouse.api.ProxyFilter#explain}) apply their decisions and
 * give their reasons. Used by {@code gatehouse explain} and the admin {@code /explain} endpoint.
 */
public final class RequestExplainer {

    private final FilterChain chain;
    private final Optional<Upstream> fallback;

    /**
     * @param chain the filter chain
     * @param fallback the server's fallback upstream
     */
    public RequestExplainer(FilterChain chain, Optional<Upstream> fallback) {
        this.chain = chain;
        this.fallback = fallback;
    }

    /**
     * @param method request method
     * @param url absolute {@code http} or {@code https} URL
     * @param headers extra request headers (name, value)
     * @return the explanation, one line per entry
     * @throws IllegalArgumentException when the method or URL is unusable
     */
    public List<String> explain(String method, String url, List<Map.Entry<String, String>> headers) {
        if (method == null || method.isEmpty() || !method.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a method such as GET is needed");
        }
        URI uri = parse(url);
        String target = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        BasicHttpRequest request = new BasicHttpRequest(method, target);
        request.setScheme(uri.getScheme());
        String authority = uri.getRawAuthority();
        request.addHeader("Host", authority);
        request.setAuthority(new URIAuthority(uri.getHost(), uri.getPort()));
        for (Map.Entry<String, String> header : headers) {
            request.addHeader(header.getKey(), header.getValue());
        }
        Exchange exchange = new ProxyExchange(request, uri.getScheme(), new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", 0), System.nanoTime(), 0);

        List<String> lines = new ArrayList<>();
        lines.add("request: " + method + " " + uri.getScheme() + "://" + authority + target);
        try {
            String normal = PathNormalizer.normalizeTarget(target); // as the admission checks do, before any filter
            if (!normal.equals(target)) {
                request.setPath(normal);
                lines.add("path normalised: " + normal);
            }
        } catch (IllegalArgumentException e) {
            lines.add("refused before any filter: 400 Bad Request: " + e.getMessage());
            return lines;
        }
        if (chain.entries().isEmpty()) {
            lines.add("no filters: plain reverse proxy");
        }
        int index = 0;
        for (ChainEntry entry : chain.entries()) {
            String label = "filter " + index++ + " " + entry.name() + " (" + entry.type() + ")";
            if (!entry.condition().test(exchange)) {
                lines.add(label + ": skipped, its when: does not hold");
                continue;
            }
            lines.add(label + ": runs");
            try {
                for (String line : entry.filter().explain(exchange)) {
                    lines.add("  " + line);
                }
            } catch (RuntimeException e) {
                lines.add("  cannot explain: " + e.getMessage());
            }
            Optional<Integer> answer = exchange.attribute(Keys.EXPLAINED_ANSWER);
            if (answer.isPresent()) {
                lines.add("result: answered by filter " + entry.name() + " (" + entry.type() + ") with " + answer.get()
                        + "; later filters do not run and no upstream is contacted");
                return lines;
            }
        }
        lines.add("result: route " + exchange.route().orElse("(none)")
                + ", cluster " + exchange.cluster().orElse("(none)")
                + ", origin target " + exchange.request().target()
                + exchange.originHost().map(h -> ", Host " + h).orElse("")
                + exchange.responseTimeout().map(t -> ", response timeout " + t.toString().substring(2).toLowerCase(Locale.ROOT)).orElse(""));
        lines.add("upstream: " + upstream(exchange));
        return lines;
    }

    private String upstream(Exchange exchange) {
        if (exchange.upstreamSelector().isPresent()) {
            return "chosen by a filter";
        }
        if (exchange.cluster().isPresent()) {
            return "cluster " + exchange.cluster().get() + " (needs a load balancer filter that serves it, else 502)";
        }
        return fallback.map(u -> u + " (server.upstream)").orElse("none: the request would get 502");
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("an absolute http:// or https:// URL is needed: " + url);
        }
        return uri;
    }
}
