package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Key;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.Response;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.http.Cookies;
import io.gatehouse.api.http.SetCookie;
import io.gatehouse.api.metrics.FilterMetrics;
import io.gatehouse.api.outbound.OutboundClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the exchange's cluster (the one a router or canary named, or {@code default-cluster}
 * when no earlier filter chose a cluster, an upstream or a selector): applies the cluster's
 * circuit breaker, and hands the core a selector that picks an endpoint per attempt.
 */
final class LoadBalancerFilter implements ProxyFilter {

    /** The header on a 503 that the circuit breaker caused, naming the cluster. */
    static final String OVERLOADED = "X-Gatehouse-Overloaded";
    private static final Key<ExchangeSelector> SELECTOR = Key.of("load-balancer.selector", ExchangeSelector.class);

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerFilter.class);

    private final Map<String, Cluster> clusters = new LinkedHashMap<>();
    private final Optional<Cluster> defaultCluster;
    private final HealthChecker healthChecker;

    /**
     * @param metrics where each endpoint's state is published, tagged {@code cluster} and {@code endpoint}:
     *     {@code endpoint.healthy} and {@code endpoint.ejected} (1 or 0), {@code endpoint.in.flight},
     *     {@code endpoint.ejections} (since start); read when the meters are, nothing on the request path
     */
    LoadBalancerFilter(LoadBalancerConfig config, ScheduledExecutorService scheduler, OutboundClient http, FilterMetrics metrics) {
        for (ClusterSpec spec : config.clusters()) {
            clusters.put(spec.name(), new Cluster(spec));
        }
        this.defaultCluster = config.defaultCluster().map(clusters::get);
        List<String> generated = config.clusters().stream()
                .filter(spec -> spec.sticky().map(s -> s.secret().isEmpty()).orElse(false)).map(ClusterSpec::name).toList();
        if (!generated.isEmpty()) {
            LOG.info("Sticky cookies of clusters {} are signed with a secret generated at start: they hold on this instance until "
                    + "it restarts. Set sticky.secret, the same on every instance behind one balancer, to keep them", generated);
        }
        if (clusters.size() == 1 && defaultCluster.isEmpty()) {
            String only = clusters.keySet().iterator().next();
            LOG.info("Load balancer with the one cluster {} and no default-cluster: it serves requests whose cluster a filter "
                    + "named (a router route with cluster: {}); set default-cluster: {} to send it every other request", only, only, only);
        }
        this.healthChecker = new HealthChecker(List.copyOf(clusters.values()), scheduler, http);
        publish(metrics);
    }

    private void publish(FilterMetrics metrics) {
        for (Cluster cluster : clusters.values()) {
            for (Endpoint endpoint : cluster.endpoints()) {
                String[] tags = {"cluster", cluster.name(), "endpoint", endpoint.toString()};
                metrics.gauge("endpoint.healthy", () -> endpoint.isHealthy() ? 1 : 0, tags);
                metrics.gauge("endpoint.ejected", () -> endpoint.isEjected(System.nanoTime()) ? 1 : 0, tags);
                metrics.gauge("endpoint.in.flight", endpoint::inFlight, tags);
                metrics.gauge("endpoint.ejections", endpoint::ejections, tags);
            }
        }
    }

    /**
     * The cluster this exchange goes to, if this balancer serves it: the named one, else the
     * default cluster, but only when no earlier filter chose an upstream or a selector.
     */
    private Optional<Cluster> clusterOf(Exchange exchange) {
        Optional<String> named = exchange.cluster();
        if (named.isPresent()) {
            return Optional.ofNullable(clusters.get(named.get()));
        }
        return exchange.upstreamSelector().isPresent() ? Optional.empty() : defaultCluster;
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        Optional<Cluster> found = clusterOf(exchange);
        if (found.isEmpty()) {
            return FilterResult.proceed(); // not ours: another filter may serve it, or the core answers 502
        }
        Cluster cluster = found.get();
        if (!cluster.enter()) {
            return FilterResult.respond(Response.status(503).header(OVERLOADED, cluster.name())
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .body("Service Unavailable: too many requests to cluster " + cluster.name() + "\n").build());
        }
        Optional<String> sticky = cluster.spec().sticky()
                .flatMap(s -> Cookies.get(exchange.request().headers(), s.cookie()));
        ExchangeSelector selector = new ExchangeSelector(cluster, sticky);
        exchange.setAttribute(SELECTOR, selector);
        exchange.setCluster(cluster.name());
        exchange.setUpstreamSelector(selector);
        return FilterResult.proceed();
    }

    @Override
    public CompletionStage<FilterResult> onResponse(Exchange exchange) {
        Optional<ExchangeSelector> found = exchange.attribute(SELECTOR);
        Optional<ResponseHead> response = exchange.response();
        if (found.isEmpty() || response.isEmpty()) {
            return FilterResult.proceed();
        }
        ExchangeSelector selector = found.get();
        if (selector.endpointLimitHit() && response.get().status() == 503) {
            response.get().headers().set(OVERLOADED, selector.cluster().name());
        }
        selector.cluster().spec().sticky().ifPresent(sticky -> selector.served().ifPresent(endpoint -> {
            String value = selector.cluster().stickyValue(endpoint);
            boolean alreadyThere = Cookies.get(exchange.request().headers(), sticky.cookie())
                    .map(value::equals).orElse(false);
            if (!alreadyThere) {
                response.get().headers().add(SetCookie.HEADER, sticky.template().withValue(value).headerValue());
            }
        }));
        return FilterResult.proceed();
    }

    @Override
    public void onComplete(Exchange exchange, Outcome outcome) {
        exchange.attribute(SELECTOR).ifPresent(selector -> {
            selector.finish();
            selector.cluster().leave();
        });
    }

    @Override
    public List<String> explain(Exchange exchange) {
        Optional<Cluster> found = clusterOf(exchange);
        if (found.isEmpty()) {
            return List.of(exchange.cluster().map(c -> "cluster " + c + " is not one of this balancer's: "
                    + String.join(", ", clusters.keySet())).orElse(exchange.upstreamSelector().isPresent()
                    ? "no cluster named and an upstream chosen by an earlier filter: not balanced here"
                    : "no cluster named and no default-cluster: not balanced here"));
        }
        Cluster cluster = found.get();
        long now = System.nanoTime();
        List<String> lines = new ArrayList<>();
        lines.add("cluster " + cluster.name() + ": " + cluster.spec().policy().configName + " over "
                + cluster.candidates(now).size() + " of " + cluster.endpoints().size() + " endpoints available now");
        exchange.setCluster(cluster.name());
        exchange.setUpstreamSelector(new ExchangeSelector(cluster, Optional.empty()));
        return lines;
    }

    @Override
    public Optional<String> status() {
        long now = System.nanoTime();
        StringBuilder text = new StringBuilder();
        for (Cluster cluster : clusters.values()) {
            text.append(cluster.status(now));
        }
        return Optional.of(text.toString());
    }

    /** @return the clusters by name, for tests */
    Map<String, Cluster> clusters() {
        return clusters;
    }

    @Override
    public void close() {
        healthChecker.close();
    }
}
