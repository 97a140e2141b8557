package io.gatehouse.server.exchange;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.server.chain.ChainEntry;
import io.gatehouse.server.chain.Condition;
import io.gatehouse.server.chain.FilterChain;
import io.gatehouse.server.config.WhenSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RequestExplainerTest {

    private static final ProxyFilter DENY = exchange -> FilterResult.respond(io.gatehouse.api.Response.text(403, "no"));

    private static RequestExplainer explainer() {
        Condition admin = Condition.compile(new WhenSpec(List.of(), List.of(), List.of("/admin"), List.of(), Map.of()));
        return new RequestExplainer(new FilterChain(List.of(new ChainEntry("deny-admin", "deny", admin, DENY))), Optional.empty());
    }

    @Test
    void explainNormalisesThePathAsTheIntakeDoes() {
        assertThat(explainer().explain("GET", "http://shop.example/x/../%61dmin;p?q=1", List.of())).startsWith(
                "request: GET http://shop.example/x/../%61dmin;p?q=1",
                "path normalised: /admin?q=1",
                "filter 0 deny-admin (deny): runs");
    }

    @Test
    void aPathWithoutANormalFormIsExplainedAsRefusedBeforeAnyFilter() {
        assertThat(explainer().explain("GET", "http://shop.example/../admin", List.of())).containsExactly(
                "request: GET http://shop.example/../admin",
                "refused before any filter: 400 Bad Request: the path climbs above the root");
    }

    @Test
    void theExplanationStopsAtAFilterThatWouldAnswer() {
        ProxyFilter answering = new ProxyFilter() {
            @Override
            public java.util.concurrent.CompletionStage<FilterResult> onRequest(io.gatehouse.api.Exchange exchange) {
                return FilterResult.respond(io.gatehouse.api.Response.text(200, "ok"));
            }

            @Override
            public List<String> explain(io.gatehouse.api.Exchange exchange) {
                exchange.setAttribute(Keys.EXPLAINED_ANSWER, 200);
                return List.of("answers 200 itself");
            }
        };
        ProxyFilter later = exchange -> FilterResult.proceed();
        Condition always = Condition.compile(new WhenSpec(List.of(), List.of(), List.of(), List.of(), Map.of()));
        RequestExplainer explainer = new RequestExplainer(new FilterChain(List.of(new ChainEntry("healthz", "static-response", always, answering),
                new ChainEntry("headers", "headers", always, later))), Optional.empty());

        assertThat(explainer.explain("GET", "http://shop.example/healthz", List.of())).containsExactly(
                "request: GET http://shop.example/healthz",
                "filter 0 healthz (static-response): runs",
                "  answers 200 itself",
                "result: answered by filter healthz (static-response) with 200; later filters do not run and no upstream is contacted");
    }
}
