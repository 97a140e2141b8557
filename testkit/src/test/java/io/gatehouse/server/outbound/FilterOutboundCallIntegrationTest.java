package io.gatehouse.server.outbound;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Response;
import io.gatehouse.api.outbound.OutboundClient;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A filter that asks another service before letting a request through, with {@code FilterContext.http()}. */
class FilterOutboundCallIntegrationTest {

    /** Forward auth: the auth service's 200 lets the request through, anything else is a 401. */
    static final class ForwardAuthFactory implements ProxyFilterFactory<String> {
        final Map<String, String> threads = new ConcurrentHashMap<>();
        final Map<String, OutboundClient> clients = new ConcurrentHashMap<>();
        /** A permit per call whose continuation is registered: the auth service answers only then. */
        final java.util.concurrent.Semaphore registered = new java.util.concurrent.Semaphore(0);

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
            clients.put(context.instanceName(), context.http());
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    threads.put("request", Thread.currentThread().getName());
                    OutboundRequest check = OutboundRequest.get(url)
                            .header("Authorization", exchange.request().headers().first("Authorization").orElse(""))
                            .timeout(Duration.ofSeconds(5)).build();
                    CompletionStage<FilterResult> decided = context.http().send(check).thenApply(answer -> {
                        threads.put("answer", Thread.currentThread().getName());
                        return answer.status() == 200 ? FilterResult.proceedResult()
                                : FilterResult.respondResult(Response.text(401, "Unauthorized"));
                    });
                    registered.release();
                    return decided;
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    threads.put("response", Thread.currentThread().getName());
                    return FilterResult.proceed();
                }
            };
        }
    }

    private static void awaitRegistered(ForwardAuthFactory factory) {
        try {
            if (!factory.registered.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("the filter never registered its continuation");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aFilterCallsAnotherServiceWithoutBlockingAndTheExchangeGoesOnOnItsIoThread() {
        ForwardAuthFactory factory = new ForwardAuthFactory();
        try (TestOrigin auth = TestOrigin.start(request -> {
                 awaitRegistered(factory); // so the answer cannot arrive before the filter waits for it
                 return request.header("Authorization").orElse("").equals("Bearer good") ? Reply.ok("yes") : Reply.status(403);
             });
             TestOrigin origin = TestOrigin.start(Reply.ok("origin"));
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
                     .config("""
                             filters:
                               - type: forward-auth
                                 config: { url: "%s/check" }
                               - type: forward-auth
                                 name: second
                                 config: { url: "%s/check" }
                             """.formatted(auth.url(), auth.url()))
                     .filters(factory).upstream(origin).start()) {
            HttpResponse<String> allowed = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/a")).header("Authorization", "Bearer good").build());
            HttpResponse<String> refused = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/b")).header("Authorization", "Bearer bad").build());

            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.body()).isEqualTo("origin");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(origin.requestCount()).isEqualTo(1);
            assertThat(factory.threads.get("answer")).startsWith("gatehouse-outbound-");
            assertThat(factory.threads.get("response")).as("the exchange goes on on its own I/O thread")
                    .isEqualTo(factory.threads.get("request")).startsWith("gatehouse-io-");
            assertThat(factory.clients.get("forward-auth#0")).as("one client for the whole server").isSameAs(factory.clients.get("second"));
        }
    }
}
