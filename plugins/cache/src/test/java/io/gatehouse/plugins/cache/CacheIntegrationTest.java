package io.gatehouse.plugins.cache;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** A real Gatehouse with the cache in front of a real origin that counts its hits. */
class CacheIntegrationTest {

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

    private void start(Function<ReceivedRequest, Reply> script) {
        origin = TestOrigin.start(script);
        gatehouse = EmbeddedGatehouse.builder()
                .config("filters: [ { type: cache, config: { max-size: 16MiB, max-object-size: 1MiB, purge-token: \"0123456789abcdef\" } } ]")
                .filters(new CacheFilterFactory()).upstream(origin).start();
    }

    private HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gatehouse.uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gatehouse.send(request.build());
    }

    private static Reply ok(String body, String... headers) {
        Reply reply = Reply.status(200).body(body);
        for (int i = 0; i < headers.length; i += 2) {
            reply = reply.header(headers[i], headers[i + 1]);
        }
        return reply;
    }

    @Test
    void tenIdenticalRequestsReachTheOriginOnce() {
        start(request -> ok("hello", "Cache-Control", "max-age=60"));
        HttpResponse<String> first = get("/a");
        assertThat(first.headers().firstValue(CacheFilter.STATUS)).hasValue("Gatehouse; fwd=uri-miss; ttl=60");
        for (int i = 0; i < 9; i++) {
            HttpResponse<String> hit = get("/a");
            assertThat(hit.body()).isEqualTo("hello");
            assertThat(hit.headers().firstValue(CacheFilter.STATUS).orElseThrow()).startsWith("Gatehouse; hit; ttl=");
            assertThat(hit.headers().firstValue("Age")).isPresent();
        }
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void noStoreIsNeverStored() {
        start(request -> ok("secret", "Cache-Control", "no-store"));
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = get("/a");
            assertThat(response.headers().firstValue(CacheFilter.STATUS)).hasValue("Gatehouse; fwd=uri-miss; detail=no-store");
        }
        assertThat(origin.requestCount()).isEqualTo(10);
    }

    @Test
    void varyKeepsOneEntryPerVariant() {
        start(request -> ok("body for " + request.header("Accept-Encoding").orElse("none"),
                "Cache-Control", "max-age=60", "Vary", "Accept-Encoding"));
        for (int i = 0; i < 5; i++) {
            assertThat(get("/v", "Accept-Encoding", "gzip").body()).isEqualTo("body for gzip");
            assertThat(get("/v", "Accept-Encoding", "br").body()).isEqualTo("body for br");
        }
        assertThat(origin.requestCount()).isEqualTo(2);
        assertThat(get("/v", "Accept-Encoding", "zstd").headers().firstValue(CacheFilter.STATUS).orElseThrow())
                .startsWith("Gatehouse; fwd=vary-miss");
    }

    @Test
    void aStaleEntryIsRevalidatedAndA304ServesTheStoredBody() {
        start(request -> request.headers().contains("If-None-Match")
                ? Reply.status(304).header("ETag", "\"v1\"").header("Cache-Control", "max-age=0")
                : ok("version one", "ETag", "\"v1\"", "Cache-Control", "max-age=0"));
        assertThat(get("/r").body()).isEqualTo("version one");
        HttpResponse<String> revalidated = get("/r");
        assertThat(revalidated.statusCode()).isEqualTo(200);
        assertThat(revalidated.body()).isEqualTo("version one");
        assertThat(revalidated.headers().firstValue(CacheFilter.STATUS).orElseThrow()).startsWith("Gatehouse; fwd=stale; fwd-status=304; stored");
        assertThat(origin.requests().get(1).headers().all("If-None-Match")).containsExactly("\"v1\"");
        assertThat(origin.requestCount()).isEqualTo(2);
    }

    @Test
    void aClientsConditionalIsAnswered304FromTheCache() {
        start(request -> ok("cached", "ETag", "W/\"abc\"", "Cache-Control", "max-age=60"));
        get("/c");
        HttpResponse<String> conditional = get("/c", "If-None-Match", "\"abc\"");
        assertThat(conditional.statusCode()).isEqualTo(304);
        assertThat(conditional.body()).isEmpty();
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void staleIfErrorServesTheStoredResponseWhenTheOriginFails() {
        start(request -> ok("last good", "ETag", "\"g\"", "Cache-Control", "max-age=0, stale-if-error=60"));
        assertThat(get("/e").body()).isEqualTo("last good");
        origin.answer(Reply.status(503).body("down"));
        HttpResponse<String> response = get("/e");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("last good");
        assertThat(response.headers().firstValue(CacheFilter.STATUS).orElseThrow()).contains("fwd-status=503", "detail=stale-if-error");
    }

    @Test
    void aSuccessfulPostInvalidatesTheUri() {
        start(request -> request.method().equals("POST") ? ok("posted") : ok("page " + System.nanoTime(), "Cache-Control", "max-age=60"));
        String before = get("/p").body();
        assertThat(get("/p").body()).isEqualTo(before);
        gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/p")).POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(get("/p").body()).isNotEqualTo(before);
        assertThat(origin.requestCount()).isEqualTo(3);
    }

    @Test
    void theTargetedFieldWinsAndIsNotForwarded() {
        start(request -> ok("cdn", "Cache-Control", "no-store", "Gatehouse-Cache-Control", "max-age=60"));
        HttpResponse<String> first = get("/t");
        assertThat(first.headers().firstValue("Gatehouse-Cache-Control")).isEmpty();
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
        get("/t");
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void aHundredConcurrentMissesSendOneRequestToTheOrigin() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        start(request -> ok("shared", "Cache-Control", "max-age=60").holdUntil(release)); // the first miss waits until all have arrived
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            responses.add(gatehouse.client().sendAsync(HttpRequest.newBuilder(gatehouse.uri("/hot")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        origin.awaitRequests(1, java.time.Duration.ofSeconds(10));
        release.countDown();
        int collapsed = 0;
        for (java.util.concurrent.CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> r = response.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.body()).isEqualTo("shared");
            if (r.headers().firstValue(CacheFilter.STATUS).orElse("").endsWith("collapsed")) {
                collapsed++;
            }
        }
        assertThat(origin.requestCount()).isEqualTo(1);
        assertThat(collapsed).isGreaterThan(0);
    }

    @Test
    void purgeDropsAUriOrAPrefixWithTheToken() {
        start(request -> ok("v" + System.nanoTime(), "Cache-Control", "max-age=60"));
        String a = get("/img/a").body();
        String b = get("/img/b").body();
        HttpRequest.Builder purge = HttpRequest.newBuilder(gatehouse.uri("/img/a")).method("PURGE", HttpRequest.BodyPublishers.noBody());
        assertThat(gatehouse.send(purge.build()).statusCode()).isEqualTo(403);
        assertThat(gatehouse.send(purge.header(CacheFilter.PURGE_TOKEN, "0123456789abcdef").build()).body()).isEqualTo("purged 1\n");
        assertThat(get("/img/a").body()).isNotEqualTo(a);
        assertThat(get("/img/b").body()).isEqualTo(b);
        HttpResponse<String> prefix = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/img/*"))
                .method("PURGE", HttpRequest.BodyPublishers.noBody()).header(CacheFilter.PURGE_TOKEN, "0123456789abcdef").build());
        assertThat(prefix.body()).isEqualTo("purged 2\n");
        assertThat(get("/img/b").body()).isNotEqualTo(b);
    }

    @Test
    void staleWhileRevalidateAnswersAtOnceAndRefreshesInTheBackground() {
        start(request -> ok("v1", "Cache-Control", "max-age=0, stale-while-revalidate=60"));
        assertThat(get("/s").body()).isEqualTo("v1");
        java.util.concurrent.CountDownLatch slowOrigin = new java.util.concurrent.CountDownLatch(1);
        origin.answer(ok("v2", "Cache-Control", "max-age=60").holdUntil(slowOrigin)); // the refresh is held here
        HttpResponse<String> stale = get("/s");
        assertThat(stale.body()).as("served at once, while the origin is held").isEqualTo("v1");
        assertThat(stale.headers().firstValue(CacheFilter.STATUS).orElseThrow()).contains("hit; ttl=", "stale-while-revalidate");
        assertThat(get("/s").body()).as("one refresh at a time").isEqualTo("v1");
        slowOrigin.countDown();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> get("/s").body().equals("v2"));
        assertThat(origin.requestCount()).isEqualTo(2);
        assertThat(origin.requests().get(1).headers().contains(BackgroundRefresh.MARKER)).isFalse();
    }

    @Test
    void headIsAnsweredFromTheGetEntryAndRangeFromItToo() {
        start(request -> ok("0123456789", "Cache-Control", "max-age=60"));
        get("/h");
        HttpResponse<String> head = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/h"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue(CacheFilter.STATUS).orElseThrow()).startsWith("Gatehouse; hit");
        assertThat(head.headers().firstValue("Content-Length")).hasValue("10");
        HttpResponse<String> range = get("/h", "Range", "bytes=0-3");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("0123");
        assertThat(range.headers().firstValue(CacheFilter.STATUS).orElseThrow()).startsWith("Gatehouse; hit");
        assertThat(get("/uncached", "Range", "bytes=0-3").headers().firstValue(CacheFilter.STATUS)).hasValue("Gatehouse; fwd=partial");
        assertThat(origin.requestCount()).isEqualTo(2);
    }

    @Test
    void staleIfErrorServesTheStoredResponseWhenTheOriginIsStopped() {
        start(request -> ok("kept", "ETag", "\"k\"", "Cache-Control", "max-age=0, stale-if-error=60"));
        assertThat(get("/down").body()).isEqualTo("kept");
        origin.kill();
        HttpResponse<String> response = get("/down");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("kept");
        assertThat(response.headers().firstValue(CacheFilter.STATUS).orElseThrow()).contains("fwd-status=502", "detail=stale-if-error");
        assertThat(get("/never-stored").statusCode()).as("without a stored response, the error stands").isEqualTo(502);
    }
}
