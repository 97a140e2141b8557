package io.gatehouse.plugins.cache;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RedisServer;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two Gatehouse instances whose caches share invalidations through a real Redis (pub/sub). */
class CacheFanOutIntegrationTest {

    private static final String PURGE_TOKEN = "0123456789abcdef";
    private static final String FAN_OUT_TOKEN = "fan-out-secret-0123";
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Both instances stand behind one name, as behind an L4 balancer: their cache keys are the same. */
    private static final String HOST = "shop.example";

    private RedisServer redis;
    private TestOrigin origin;
    private EmbeddedGatehouse first;
    private EmbeddedGatehouse second;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        origin = TestOrigin.start(request -> request.method().equals("POST") ? Reply.status(204)
                : Reply.ok("body of " + request.target()).header("Cache-Control", "max-age=600"));
        first = gatehouse();
        second = gatehouse();
        await().atMost(WAIT).until(() -> connected(first) && connected(second));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {first, second, origin, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private EmbeddedGatehouse gatehouse() {
        return EmbeddedGatehouse.builder().config(String.join("\n",
                        "filters:",
                        "  - type: cache",
                        "    name: shared-cache",
                        "    config:",
                        "      purge-token: \"" + PURGE_TOKEN + "\"",
                        "      fan-out: { redis: \"" + redis.uri() + "\", channel: test-purges, token: \"" + FAN_OUT_TOKEN + "\" }",
                        ""))
                .filters(new CacheFilterFactory()).upstream(origin).start();
    }

    private static boolean connected(EmbeddedGatehouse gatehouse) {
        return status(gatehouse).contains("fan-out connected");
    }

    private static String status(EmbeddedGatehouse gatehouse) {
        return gatehouse.status("shared-cache").orElseThrow();
    }

    private static String cacheStatus(EmbeddedGatehouse gatehouse, String path) {
        HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri(path)).header("Host", HOST).build());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue(CacheFilter.STATUS).orElseThrow();
    }

    private void storeOnBoth(String path) {
        for (EmbeddedGatehouse gatehouse : new EmbeddedGatehouse[] {first, second}) {
            cacheStatus(gatehouse, path);
            assertThat(cacheStatus(gatehouse, path)).startsWith("Gatehouse; hit");
        }
    }

    private static HttpResponse<String> send(EmbeddedGatehouse gatehouse, String method, String path) {
        return gatehouse.send(HttpRequest.newBuilder(gatehouse.uri(path)).header("Host", HOST).header(CacheFilter.PURGE_TOKEN, PURGE_TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private static void awaitApplied(EmbeddedGatehouse gatehouse, int count) {
        await().atMost(WAIT).until(() -> status(gatehouse).contains(count + " applied"));
    }

    @Test
    void aPurgeOnOneInstanceIsAppliedOnTheOther() {
        storeOnBoth("/a");
        int before = origin.requestCount();

        assertThat(send(first, "PURGE", "/a").body()).isEqualTo("purged 1\n");
        awaitApplied(second, 1);

        assertThat(cacheStatus(second, "/a")).startsWith("Gatehouse; fwd=uri-miss");
        assertThat(cacheStatus(first, "/a")).startsWith("Gatehouse; fwd=uri-miss");
        assertThat(origin.requestCount()).isEqualTo(before + 2);
        assertThat(status(first)).contains("1 sent").contains("0 applied");
    }

    @Test
    void aPrefixPurgeAndAnUnsafeRequestAreAppliedOnTheOther() {
        storeOnBoth("/p/1");
        storeOnBoth("/p/2");
        storeOnBoth("/q");

        send(second, "PURGE", "/p/*");
        awaitApplied(first, 1);
        assertThat(cacheStatus(first, "/p/1")).startsWith("Gatehouse; fwd=uri-miss");
        assertThat(cacheStatus(first, "/p/2")).startsWith("Gatehouse; fwd=uri-miss");
        assertThat(cacheStatus(first, "/q")).startsWith("Gatehouse; hit");

        assertThat(send(second, "POST", "/q").statusCode()).isEqualTo(204);
        awaitApplied(first, 2);
        assertThat(cacheStatus(first, "/q")).startsWith("Gatehouse; fwd=uri-miss");
    }

    @Test
    void aMessageWithoutTheRightSignatureIsRefused() throws Exception {
        storeOnBoth("/a");

        redis.command("PUBLISH", "test-purges", "v1 intruder KEY forged-signature " + HOST + "/a");

        await().atMost(WAIT).until(() -> status(first).contains("1 refused") && status(second).contains("1 refused"));
        assertThat(cacheStatus(first, "/a")).startsWith("Gatehouse; hit");
        assertThat(cacheStatus(second, "/a")).startsWith("Gatehouse; hit");
    }

    @Test
    void withRedisGonePurgesStillAnswerAtOnceAndAreCountedAsNotSent() {
        storeOnBoth("/a");
        redis.stop();
        await().atMost(WAIT).until(() -> status(first).contains("fan-out reconnecting"));

        long started = System.nanoTime();
        assertThat(send(first, "PURGE", "/a").body()).isEqualTo("purged 1\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(status(first)).contains("1 not sent");
        assertThat(cacheStatus(second, "/a")).as("at most once: the other instance keeps its entry until it expires")
                .startsWith("Gatehouse; hit");

        redis.restart();
        await().atMost(WAIT).until(() -> connected(first) && connected(second));
        send(first, "PURGE", "/a");
        awaitApplied(second, 1);
        assertThat(cacheStatus(second, "/a")).startsWith("Gatehouse; fwd=uri-miss");
    }
}
