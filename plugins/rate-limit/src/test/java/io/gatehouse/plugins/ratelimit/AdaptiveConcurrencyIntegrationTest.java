package io.gatehouse.plugins.ratelimit;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The adaptive limit in front of an origin that turns slow, then fast again. */
class AdaptiveConcurrencyIntegrationTest {

    private static final Pattern LIMIT = Pattern.compile("adaptive limit (\\d+) ");

    private static int limit(EmbeddedGatehouse gatehouse) {
        Matcher m = LIMIT.matcher(gatehouse.status("upstream-cap").orElseThrow());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theLimitFollowsTheOriginsLatency() throws Exception {
        AtomicReference<Reply> reply = new AtomicReference<>(Reply.ok("slow").delay(Duration.ofMillis(120)));
        try (TestOrigin origin = TestOrigin.start(request -> reply.get());
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config(String.join("\n",
                     "filters:",
                     "  - type: rate-limit",
                     "    name: upstream-cap",
                     "    config:",
                     "      concurrency: { max-concurrent: 16, queue: 64, queue-timeout: 10s,",
                     "                     adaptive: { min: 2, max: 32, latency: 50ms, decrease-percent: 20 } }",
                     "")).filters(new RateLimitFilterFactory()).upstream(origin).start()) {
            assertThat(limit(gatehouse)).isEqualTo(16);

            Load.Result slow = Load.send(gatehouse.client(), 40, 8,
                    i -> HttpRequest.newBuilder(gatehouse.uri("/slow")).timeout(Duration.ofSeconds(20)).build());
            assertThat(slow.count(200)).isEqualTo(40);
            int afterSlow = limit(gatehouse);
            System.out.printf("adaptive limit: 16 at start, %d after 40 slow answers%n", afterSlow);
            assertThat(afterSlow).as("slow answers cut the limit to its minimum").isEqualTo(2);

            reply.set(Reply.ok("fast"));
            Load.Result fast = Load.send(gatehouse.client(), 400, 8,
                    i -> HttpRequest.newBuilder(gatehouse.uri("/fast")).timeout(Duration.ofSeconds(20)).build());
            assertThat(fast.count(200)).isEqualTo(400);
            int afterFast = limit(gatehouse);
            System.out.printf("adaptive limit: %d after 400 fast answers from 8 clients%n", afterFast);
            assertThat(afterFast).as("fast answers while the limit is used let it grow").isGreaterThan(afterSlow);
        }
    }
}
