package io.gatehouse.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatehouseExtensionTest {

    @RegisterExtension
    static final GatehouseExtension PER_CLASS = GatehouseExtension.create()
            .filters(new TestFilterFactories.Mark())
            .config("filters: [ { type: mark, name: kit, config: { label: kit } } ]");

    @RegisterExtension
    final GatehouseExtension perTest = GatehouseExtension.create()
            .filters(new TestFilterFactories.Mark())
            .config("filters: [ { type: mark, config: { label: \"${origin}\" } } ]");

    @Test
    void aRealProxyWithTheFilterSitsInFrontOfARealOrigin() {
        HttpResponse<String> response = PER_CLASS.get("/hello?x=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("origin saw GET /hello?x=1");
        assertThat(response.headers().allValues("X-Trail")).containsExactly("kit");
        assertThat(PER_CLASS.origin().lastRequest().header("x-trail")).contains("kit");
        assertThat(PER_CLASS.origin().lastRequest().header("Via")).hasValueSatisfying(via -> assertThat(via).contains("gatehouse"));
        assertThat(PER_CLASS.status("kit")).hasValueSatisfying(status -> assertThat(status).startsWith("requests "));
    }

    @Test
    void theOriginsAnswerAndTheRequestBodyCanBeScripted() {
        perTest.origin().answer(Reply.text(201, "made"));
        HttpResponse<String> response = perTest.send(HttpRequest.newBuilder(perTest.uri("/things"))
                .POST(HttpRequest.BodyPublishers.ofString("payload")).build());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("made");
        assertThat(perTest.origin().requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.bodyText()).isEqualTo("payload");
        });
    }

    @Test
    void eachInstanceFieldGetsItsOwnFreshPair() {
        assertThat(perTest.origin().requests()).isEmpty();
        assertThat(perTest.gatehouse().port()).isNotEqualTo(PER_CLASS.gatehouse().port());
        assertThat(perTest.origin().port()).isNotEqualTo(PER_CLASS.origin().port());
    }

    @Test
    void theConfigNamesTheOriginAsDollarOrigin() {
        assertThat(perTest.get("/").headers().firstValue("X-Trail")).hasValue(perTest.origin().url());
    }

    @Test
    void rawInputReachesTheProxy() {
        try (RawConnection raw = perTest.raw()) {
            assertThat(raw.send("GET /raw HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200").endsWith("origin saw GET /raw");
        }
    }

    @Test
    void anUnregisteredExtensionSaysSo() {
        assertThatThrownBy(() -> GatehouseExtension.create().get("/")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension");
        assertThatThrownBy(() -> GatehouseExtension.create().origin()).isInstanceOf(IllegalStateException.class);
    }
}
