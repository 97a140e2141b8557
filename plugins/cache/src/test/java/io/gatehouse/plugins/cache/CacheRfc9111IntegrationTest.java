package io.gatehouse.plugins.cache;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9111 rules (issue #14) through a real Gatehouse in front of a real origin. */
class CacheRfc9111IntegrationTest {

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
                .config("filters: [ { type: cache, config: { max-size: 16MiB, max-object-size: 1KiB } } ]")
                .filters(new CacheFilterFactory()).upstream(origin).start();
    }

    private HttpResponse<String> send(String method, String path) {
        return gatehouse.send(HttpRequest.newBuilder(gatehouse.uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private static String cacheStatus(HttpResponse<String> response) {
        return response.headers().firstValue(CacheFilter.STATUS).orElseThrow();
    }

    @Test
    void aCacheable204IsStoredAndServedFromTheCache() {
        start(request -> Reply.status(204).header("Cache-Control", "max-age=60"));
        HttpResponse<String> first = send("GET", "/empty");
        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(cacheStatus(first)).isEqualTo("Gatehouse; fwd=uri-miss; stored; ttl=60");
        HttpResponse<String> hit = send("GET", "/empty");
        assertThat(hit.statusCode()).isEqualTo(204);
        assertThat(cacheStatus(hit)).startsWith("Gatehouse; hit; ttl=");
        HttpResponse<String> head = send("HEAD", "/empty");
        assertThat(head.statusCode()).isEqualTo(204);
        assertThat(cacheStatus(head)).startsWith("Gatehouse; hit; ttl=");
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void aBodyIsNeverClaimedStoredBeforeItIsWhole() {
        start(request -> Reply.ok(request.path().equals("/big") ? "x".repeat(2048) : "small").header("Cache-Control", "max-age=60"));
        HttpResponse<String> big = send("GET", "/big");
        assertThat(big.body()).hasSize(2048);
        assertThat(cacheStatus(big)).as("over max-object-size: never stored").isEqualTo("Gatehouse; fwd=uri-miss; ttl=60");
        assertThat(cacheStatus(send("GET", "/big"))).startsWith("Gatehouse; fwd=uri-miss");
        assertThat(cacheStatus(send("GET", "/small"))).isEqualTo("Gatehouse; fwd=uri-miss; ttl=60");
        assertThat(cacheStatus(send("GET", "/small"))).startsWith("Gatehouse; hit");
        assertThat(origin.requestCount()).isEqualTo(3);
    }

    @Test
    void aHeadMissIsNotClaimedStored() {
        start(request -> Reply.ok("body").header("Cache-Control", "max-age=60"));
        assertThat(cacheStatus(send("HEAD", "/h"))).doesNotContain("stored");
        assertThat(cacheStatus(send("GET", "/h"))).isEqualTo("Gatehouse; fwd=uri-miss; ttl=60");
    }

    @Test
    void aRevalidationWhose304CannotBeStoredDoesNotClaimStored() {
        // The client's own conditional on a miss: the origin's 304 is passed on, nothing is stored.
        start(request -> Reply.status(304).header("ETag", "\"a\"").header("Cache-Control", "max-age=60"));
        HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/c")).header("If-None-Match", "\"a\"").build());
        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(cacheStatus(response)).doesNotContain("stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"M-SEARCH", "PURGEX", "PURGE"})
    void anUnsafeMethodOfUnknownSafetyInvalidatesTheTargetAndItsLocations(String method) {
        start(request -> request.method().equals("GET")
                ? Reply.ok("page " + System.nanoTime()).header("Cache-Control", "max-age=60")
                : Reply.ok("done").header("Location", "/other").header("Content-Location", "http://elsewhere.example/third"));
        String target = send("GET", "/target").body();
        String other = send("GET", "/other").body();
        assertThat(send("GET", "/target").body()).isEqualTo(target);
        assertThat(send(method, "/target").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/target").body()).isNotEqualTo(target);
        assertThat(send("GET", "/other").body()).isNotEqualTo(other);
    }

    @ParameterizedTest
    @ValueSource(strings = {"OPTIONS", "TRACE"})
    void safeMethodsDoNotInvalidate(String method) {
        start(request -> request.method().equals("GET") ? Reply.ok("page " + System.nanoTime()).header("Cache-Control", "max-age=60")
                : Reply.ok("fine"));
        String target = send("GET", "/target").body();
        send(method, "/target");
        assertThat(send("GET", "/target").body()).isEqualTo(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reset", "drop", "killed", "503"})
    void staleIfErrorServesAStoredResponseWithoutAValidatorWhenTheOriginFails(String failure) {
        start(request -> Reply.ok("kept").header("Cache-Control", "max-age=0, stale-if-error=60"));
        assertThat(send("GET", "/down").body()).isEqualTo("kept");
        switch (failure) {
            case "reset" -> origin.answer(Reply.reset());
            case "drop" -> origin.answer(Reply.drop());
            case "killed" -> origin.kill();
            default -> origin.answer(Reply.status(503).body("down"));
        }
        HttpResponse<String> response = send("GET", "/down");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("kept");
        assertThat(cacheStatus(response)).contains("detail=stale-if-error");
    }
}
