package io.gatehouse.server.chain;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.References;
import io.gatehouse.api.References.Kind;
import io.gatehouse.server.config.FilterSpec;
import io.gatehouse.server.config.WhenSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChainReferencesTest {

    private static ChainReferences.Entry entry(int index, String type, List<String> whenRoutes, References references) {
        WhenSpec when = new WhenSpec(whenRoutes, List.of(), List.of(), List.of(), Map.of());
        return new ChainReferences.Entry(new FilterSpec(index, type, type + "#" + index, when, PluginConfig.of("", Map.of())), references);
    }

    private static final References ROUTER = References.builder().defines(Kind.ROUTE, "users").defines(Kind.ROUTE, "search")
            .refersTo(Kind.CLUSTER, "users", "routes[0].cluster").build();
    private static final References BALANCER = References.builder().defines(Kind.CLUSTER, "users").build();

    @Test
    void aChainWhoseNamesAllResolveGivesThem() {
        ChainReferences names = ChainReferences.check(List.of(entry(0, "router", List.of(), ROUTER),
                entry(1, "headers", List.of("users", "search"), References.none()), entry(2, "load-balancer", List.of(), BALANCER)));

        assertThat(names.defined(Kind.ROUTE)).containsExactlyInAnyOrder("users", "search");
        assertThat(names.defined(Kind.CLUSTER)).containsExactly("users");
    }

    @Test
    void aClusterThatNoBalancerServesNamesTheKeyThatHoldsIt() {
        References typo = References.builder().defines(Kind.ROUTE, "users").refersTo(Kind.CLUSTER, "usres", "routes[0].cluster").build();

        assertThatThrownBy(() -> ChainReferences.check(List.of(entry(0, "router", List.of(), typo), entry(1, "load-balancer", List.of(), BALANCER))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("filters[0].config.routes[0].cluster: no load balancer serves a cluster named \"usres\" (clusters served: users)");
    }

    @Test
    void aBalancerBeforeTheFilterThatNamesItsClusterIsRefused() {
        assertThatThrownBy(() -> ChainReferences.check(List.of(entry(0, "load-balancer", List.of(), BALANCER), entry(1, "router", List.of(), ROUTER))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("filters[1].config.routes[0].cluster: cluster \"users\" is served by filters[0] (load-balancer), "
                        + "which does not run after this filter: move the balancer later");
    }

    @Test
    void aWhenRouteMustBeDefinedEarlier() {
        assertThatThrownBy(() -> ChainReferences.check(List.of(entry(0, "headers", List.of("users"), References.none()),
                entry(1, "router", List.of(), ROUTER), entry(2, "load-balancer", List.of(), BALANCER))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("filters[0].when.route[0]: route \"users\" is defined by filters[1] (router), "
                        + "which does not run before this filter: move it earlier");
        assertThatThrownBy(() -> ChainReferences.check(List.of(entry(0, "router", List.of(), ROUTER), entry(1, "headers", List.of("user"), References.none()),
                entry(2, "load-balancer", List.of(), BALANCER))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("filters[1].when.route[0]: no filter defines a route named \"user\" (routes defined: search, users)");
    }
}
