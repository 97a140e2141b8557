package io.gatehouse.plugins.cache;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache between asynchronous filters: the origin's body arrives while a later filter's
 * onResponse is still pending, before the cache registers its observer. The cache still stores the
 * whole body (or nothing), never a shorter one served later as complete.
 */
class CacheBehindAsyncFiltersIntegrationTest {

    private static final String BODY = "c".repeat(200 * 1024); // more than the proxy buffers per direction

    private TestOrigin origin;
    private EmbeddedGatehouse gatehouse;

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void aBodyThatArrivedWhileAnotherHookWasPendingIsStoredWhole() {
        origin = TestOrigin.start(Reply.status(200).header("Cache-Control", "max-age=60").body(BODY));
        gatehouse = EmbeddedGatehouse.builder()
                .config("filters: [ { type: slow }, { type: cache, config: { max-size: 16MiB, max-object-size: 1MiB } }, { type: slow } ]")
                .filters(new Slow(), new CacheFilterFactory()).upstream(origin).start();

        HttpResponse<String> first = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/big")).build());
        HttpResponse<String> second = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/big")).build());

        assertThat(first.body()).hasSameSizeAs(BODY).isEqualTo(BODY);
        assertThat(second.body()).as("the second answer, from the cache").hasSameSizeAs(BODY).isEqualTo(BODY);
        assertThat(second.headers().firstValue("Cache-Status").orElse("")).contains("hit");
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    /** {@code slow}: onRequest and onResponse complete 150 ms later on another thread (a slow remote call). */
    static final class Slow implements ProxyFilterFactory<String> {
        @Override
        public String type() {
            return "slow";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    return later();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    return later();
                }
            };
        }

        private static CompletionStage<FilterResult> later() {
            return CompletableFuture.supplyAsync(FilterResult::proceedResult, CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS));
        }
    }
}
