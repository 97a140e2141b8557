package io.gatehouse.api.testkit;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Response;
import io.gatehouse.api.outbound.OutboundConnectException;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.api.outbound.OutboundTimeoutException;
import io.gatehouse.api.outbound.ResponseTooLargeException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

class TestOutboundClientTest {

    /** Forward auth: asks a service whether the request's token is good. */
    static final class ForwardAuthFactory implements ProxyFilterFactory<String> {
        @Override
        public String type() {
            return "forward-auth";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return config.getString("url");
        }

        @Override
        public ProxyFilter create(String url, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    OutboundRequest check = OutboundRequest.get(url)
                            .header("Authorization", exchange.request().headers().first("Authorization").orElse("")).build();
                    return context.http().send(check).handle((answer, failure) -> failure == null && answer.status() == 200
                            ? FilterResult.proceedResult()
                            : FilterResult.respondResult(Response.text(failure instanceof java.util.concurrent.CompletionException
                                    && failure.getCause() instanceof OutboundTimeoutException ? 504 : 401, "no")));
                }
            };
        }
    }

    @Test
    void aFilterGetsTheScriptedAnswersAndTheTestSeesTheRequests() {
        TestOutboundClient http = TestOutboundClient.create().answer("http://auth/check", OutboundResponse.of(200, "ok"));
        try (FilterHarness harness = FilterHarness.builder(new ForwardAuthFactory()).config(java.util.Map.of("url", "http://auth/check"))
                .http(http).build()) {
            assertThat(harness.context().http()).isSameAs(http);
            assertThat(harness.request(TestExchange.get("/orders").header("Authorization", "Bearer t")).proceeds()).isTrue();
            assertThat(http.requests()).singleElement().satisfies(request ->
                    assertThat(request.headers().first("Authorization")).hasValue("Bearer t"));
        }
    }

    @Test
    void withoutAScriptEveryCallFailsAsAConnectFailure() {
        try (FilterHarness harness = FilterHarness.of(new ForwardAuthFactory(), java.util.Map.of("url", "http://auth/check"))) {
            assertThat(harness.request(TestExchange.get("/")).response().orElseThrow().status()).isEqualTo(401);
            CompletableFuture<OutboundResponse> call = harness.context().http().send(OutboundRequest.get("http://x/").build()).toCompletableFuture();
            assertThat(call).isCompletedExceptionally();
            assertThat(call.handle((r, e) -> e).join()).isInstanceOf(OutboundConnectException.class).hasMessageContaining("GET http://x/");
        }
    }

    @Test
    void aPendingAnswerWaitsForTheTestAndFailuresAndTheBodyCapAreAsOnTheServer() {
        CompletableFuture<OutboundResponse> later = new CompletableFuture<>();
        TestOutboundClient http = TestOutboundClient.create()
                .answer("http://auth/check", request -> later)
                .answer(request -> CompletableFuture.failedFuture(new OutboundTimeoutException(request + " timed out")));
        try (FilterHarness harness = FilterHarness.builder(new ForwardAuthFactory()).config(java.util.Map.of("url", "http://auth/check"))
                .http(http).build()) {
            CompletableFuture<FilterResult> pending = harness.requestAsync(TestExchange.get("/"));
            assertThat(pending).isNotDone();
            later.complete(OutboundResponse.of(200, "ok"));
            assertThat(pending.join().proceeds()).isTrue();
        }
        CompletableFuture<OutboundResponse> other = http.send(OutboundRequest.get("http://else/").build()).toCompletableFuture();
        assertThat(other.handle((r, e) -> e).join()).isInstanceOf(OutboundTimeoutException.class);
        http.answer("http://big/", OutboundResponse.of(200, "x".repeat(11)));
        CompletableFuture<OutboundResponse> big = http.send(OutboundRequest.get("http://big/").maxResponseBody(10).build()).toCompletableFuture();
        assertThat(big.handle((r, e) -> e).join()).isInstanceOf(ResponseTooLargeException.class);
        assertThat(http.send(OutboundRequest.get("http://big/").maxResponseBody(11).build()).toCompletableFuture().join().bodyText())
                .hasSize(11);
    }
}
