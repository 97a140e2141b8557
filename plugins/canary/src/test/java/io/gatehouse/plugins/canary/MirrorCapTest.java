package io.gatehouse.plugins.canary;

import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.api.outbound.OutboundTimeoutException;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.api.testkit.TestOutboundClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The mirror's in-flight cap, with a scripted outbound client. */
class MirrorCapTest {

    private static final Map<String, Object> CONFIG = Map.of("splits", List.of(Map.of("name", "release", "from", "app",
            "to", List.of(Map.of("cluster", "stable", "weight", 1)),
            "mirror", Map.of("upstream", "http://10.0.0.9:8080", "max-in-flight", 2))));

    private final List<CompletableFuture<OutboundResponse>> pending = new CopyOnWriteArrayList<>();
    private final TestOutboundClient http = TestOutboundClient.create().answer(request -> {
        CompletableFuture<OutboundResponse> answer = new CompletableFuture<>();
        pending.add(answer);
        return answer;
    });

    private static TestExchange request(String path) {
        TestExchange exchange = TestExchange.get(path).header("X-Trace", "t").header(Mirror.MARKER, "forged");
        exchange.setCluster("app");
        return exchange;
    }

    @Test
    void copiesPastTheCapAreShedUntilACopyEnds() {
        try (FilterHarness harness = FilterHarness.builder(new CanaryFilterFactory()).config(CONFIG).http(http).build()) {
            for (int i = 0; i < 5; i++) {
                assertThat(harness.request(request("/r" + i)).proceeds()).isTrue();
            }
            assertThat(http.requests()).hasSize(2);
            assertThat(http.requests().get(0).uri()).hasToString("http://10.0.0.9:8080/r0");
            assertThat(http.requests().get(0).headers().all(Mirror.MARKER)).containsExactly("release");
            assertThat(http.requests().get(0).headers().first("X-Trace")).hasValue("t");
            assertThat(harness.filter().status().orElseThrow()).contains("in flight 2", "shed 3 ");

            pending.get(0).complete(OutboundResponse.of(204, ""));
            pending.get(1).completeExceptionally(new OutboundTimeoutException("mirror timed out"));
            harness.request(request("/r5"));
            harness.request(request("/r6"));
            harness.request(request("/r7"));

            assertThat(http.requests()).hasSize(4);
            assertThat(harness.filter().status().orElseThrow()).contains("answered 1,", "failed 1,", "in flight 2", "shed 4 ");
        }
    }

    @Test
    void aTargetThatIsNoUrlIsCountedAndNotSent() {
        try (FilterHarness harness = FilterHarness.builder(new CanaryFilterFactory()).config(CONFIG).http(http).build()) {
            assertThat(harness.request(request("/a?q=|")).proceeds()).isTrue();
            assertThat(http.requests()).isEmpty();
            assertThat(harness.filter().status().orElseThrow()).contains("target not a URL 1", "in flight 0");
        }
    }
}
