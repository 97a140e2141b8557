package io.gatehouse.plugins.cache;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Upstream;
import io.gatehouse.plugins.router.RouterFilterFactory;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes, upstreams and canary sides never share an entry: the key is the client's target and
 * host plus where the request went, and the stale-while-revalidate refresh replays the client's
 * request (its target, its route, its forwarding fields), not the rewritten one.
 */
class CacheRoutingIntegrationTest {

    private TestOrigin main;
    private TestOrigin uploads;
    private EmbeddedGatehouse gatehouse;

    @AfterEach
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {gatehouse, main, uploads}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // closing anyway
                }
            }
        }
    }

    private void startRouted(String cacheControl, String server) {
        main = TestOrigin.start(request -> Reply.ok("main app " + request.target()).header("Cache-Control", cacheControl));
        uploads = TestOrigin.start(request -> Reply.ok("uploaded file " + request.target()).header("Cache-Control", cacheControl));
        gatehouse = EmbeddedGatehouse.builder().config(server + """
                filters:
                  - type: router
                    config:
                      routes:
                        - { name: uploads, path-prefix: /uploads, strip-prefix: true, upstream: "%s" }
                      default: { upstream: "%s" }
                  - type: cache
                    config: { max-size: 16MiB }
                """.formatted(uploads.url(), main.url())).filters(new RouterFilterFactory(), new CacheFilterFactory()).start();
    }

    private HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gatehouse.uri(path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gatehouse.send(request.build());
    }

    @Test
    void aStrippedPrefixRouteDoesNotServeTheDefaultRoutesUri() {
        startRouted("max-age=60", "");
        assertThat(get("/uploads/app.js").body()).isEqualTo("uploaded file /app.js");

        HttpResponse<String> app = get("/app.js");

        assertThat(app.body()).as("the main app's own /app.js, not the upload stored for /uploads/app.js").isEqualTo("main app /app.js");
        assertThat(get("/uploads/app.js").headers().firstValue(CacheFilter.STATUS).orElseThrow()).startsWith("Gatehouse; hit");
        assertThat(get("/app.js").headers().firstValue(CacheFilter.STATUS).orElseThrow()).startsWith("Gatehouse; hit");
        assertThat(main.requestCount()).isEqualTo(1);
        assertThat(uploads.requestCount()).isEqualTo(1);
    }

    @Test
    void theStaleWhileRevalidateRefreshTakesTheClientsRoute() {
        startRouted("max-age=0, stale-while-revalidate=60", "");
        assertThat(get("/uploads/app.js").body()).isEqualTo("uploaded file /app.js");
        uploads.answer(request -> Reply.ok("uploaded file v2 " + request.target()).header("Cache-Control", "max-age=60"));

        assertThat(get("/uploads/app.js").headers().firstValue(CacheFilter.STATUS).orElseThrow()).contains("stale-while-revalidate");

        uploads.awaitRequests(2, Duration.ofSeconds(10));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> get("/uploads/app.js").body().startsWith("uploaded file v2"));
        assertThat(main.requestCount()).as("the refresh never reaches the default route").isZero();
        assertThat(uploads.requests().get(1).target()).isEqualTo("/app.js");
    }

    @Test
    void theRefreshReachesTheOriginWithTheClientsForwardingFields() {
        startRouted("max-age=0, stale-while-revalidate=60", "server: { forwarding: { trusted-proxies: [ 127.0.0.1 ] } }\n");
        String[] client = {"X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "www.example.com"};
        get("/uploads/app.js", client);
        get("/uploads/app.js", client); // stale: answered at once, refreshed in the background

        ReceivedRequest original = uploads.requests().get(0);
        ReceivedRequest refresh = uploads.awaitRequests(2, Duration.ofSeconds(10)).get(1);
        for (String field : new String[] {"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP", "Forwarded"}) {
            assertThat(refresh.headers().all(field)).as(field).isEqualTo(original.headers().all(field));
        }
        assertThat(refresh.header("X-Forwarded-For")).hasValue("203.0.113.7, 127.0.0.1");
    }

    @Test
    void canarySidesDoNotShareEntries() {
        main = TestOrigin.start(request -> Reply.ok("stable").header("Cache-Control", "max-age=60"));
        uploads = TestOrigin.start(request -> Reply.ok("canary").header("Cache-Control", "max-age=60"));
        gatehouse = EmbeddedGatehouse.builder()
                .config("filters: [ { type: alternate }, { type: cache, config: { max-size: 16MiB } } ]")
                .filters(new Alternate(main, uploads), new CacheFilterFactory()).start();

        for (int i = 0; i < 6; i++) {
            assertThat(get("/page").body()).as("request %d", i).isEqualTo(i % 2 == 0 ? "stable" : "canary");
        }
        assertThat(main.requestCount()).isEqualTo(1);
        assertThat(uploads.requestCount()).isEqualTo(1);
    }

    @Test
    void anUpstreamChosenWithoutANameIsNotCached() {
        main = TestOrigin.start(request -> Reply.ok("main").header("Cache-Control", "max-age=60"));
        uploads = TestOrigin.start(request -> Reply.ok("other").header("Cache-Control", "max-age=60"));
        gatehouse = EmbeddedGatehouse.builder()
                .config("filters: [ { type: by-header }, { type: cache, config: { max-size: 16MiB } } ]")
                .filters(new ByHeader(uploads), new CacheFilterFactory()).upstream(main).start();

        assertThat(get("/x", "X-Backend", "other").body()).isEqualTo("other");
        HttpResponse<String> plain = get("/x");

        assertThat(plain.body()).isEqualTo("main");
        assertThat(get("/x", "X-Backend", "other").headers().firstValue(CacheFilter.STATUS).orElseThrow())
                .isEqualTo("Gatehouse; fwd=bypass; detail=unnamed-upstream");
    }

    @Test
    void aRouteChosenAfterTheCacheIsNotStored() {
        main = TestOrigin.start(request -> Reply.ok("main").header("Cache-Control", "max-age=60"));
        uploads = TestOrigin.start(request -> Reply.ok("upload").header("Cache-Control", "max-age=60"));
        gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: cache
                    config: { max-size: 16MiB }
                  - type: router
                    config:
                      routes:
                        - { name: uploads, path-prefix: /uploads, strip-prefix: true, upstream: "%s" }
                      default: { upstream: "%s" }
                """.formatted(uploads.url(), main.url())).filters(new RouterFilterFactory(), new CacheFilterFactory()).start();

        HttpResponse<String> first = get("/uploads/a");

        assertThat(first.headers().firstValue(CacheFilter.STATUS)).hasValue("Gatehouse; fwd=uri-miss; detail=routed-after-cache");
        get("/uploads/a");
        assertThat(uploads.requestCount()).isEqualTo(2);
    }

    /** {@code alternate}: every other request goes to the canary upstream, as a weighted canary split would send it. */
    static final class Alternate implements ProxyFilterFactory<String> {
        private final Upstream stable;
        private final Upstream canary;
        private final AtomicInteger count = new AtomicInteger();

        Alternate(TestOrigin stable, TestOrigin canary) {
            this.stable = Upstream.parse(stable.url());
            this.canary = Upstream.parse(canary.url());
        }

        @Override
        public String type() {
            return "alternate";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            return exchange -> {
                boolean toCanary = count.getAndIncrement() % 2 == 1;
                exchange.setAttribute(Keys.CANARY_SIDE, toCanary ? "canary" : "stable");
                exchange.setUpstream(toCanary ? canary : stable);
                return FilterResult.proceed();
            };
        }
    }

    /** {@code by-header}: {@code X-Backend: other} goes to another upstream, without naming a route or cluster. */
    static final class ByHeader implements ProxyFilterFactory<String> {
        private final Upstream other;

        ByHeader(TestOrigin other) {
            this.other = Upstream.parse(other.url());
        }

        @Override
        public String type() {
            return "by-header";
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
                    if (exchange.request().headers().first("X-Backend").filter("other"::equals).isPresent()) {
                        exchange.setUpstream(other);
                    }
                    return FilterResult.proceed();
                }
            };
        }
    }
}
