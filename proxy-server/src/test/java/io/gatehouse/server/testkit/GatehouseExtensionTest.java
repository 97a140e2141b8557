package io.gatehouse.server.testkit;

import io.gatehouse.server.testing.TestFilters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatehouseExtensionTest {

    @RegisterExtension
    static final GatehouseExtension PER_CLASS = GatehouseExtension.create()
            .filters(new TestFilters.Mark())
            .config("filters: [ { type: mark, config: { label: kit } } ]");

    @RegisterExtension
    final GatehouseExtension perTest = GatehouseExtension.create();

    @Test
    void aRealProxyWithTheFilterSitsInFrontOfARealOrigin() {
        HttpResponse<String> response = PER_CLASS.get("/hello?x=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("origin saw GET /hello?x=1");
        assertThat(response.headers().allValues("X-Trail")).containsExactly("kit");
        assertThat(PER_CLASS.origin().lastRequest().header("x-trail")).contains("kit");
        assertThat(PER_CLASS.origin().lastRequest().header("Via")).hasValueSatisfying(via -> assertThat(via).contains("gatehouse"));
    }

    @Test
    void theOriginsAnswerAndTheRequestBodyCanBeScripted() {
        perTest.origin().respond(201, "made");
        HttpResponse<String> response = perTest.send(HttpRequest.newBuilder(perTest.uri("/things"))
                .POST(HttpRequest.BodyPublishers.ofString("payload")).build());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("made");
        assertThat(perTest.origin().requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.body()).isEqualTo("payload");
        });
    }

    @Test
    void eachInstanceFieldGetsItsOwnFreshPair() {
        assertThat(perTest.origin().requests()).isEmpty();
        assertThat(perTest.gatehouse().port()).isNotEqualTo(PER_CLASS.gatehouse().port());
    }

    @Test
    void anUnregisteredExtensionSaysSo() {
        assertThatThrownBy(() -> GatehouseExtension.create().get("/")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension");
    }
}
