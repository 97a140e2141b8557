package io.gatehouse.server.exchange;

import io.gatehouse.api.FilterResult;
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
}
