package io.gatehouse.server.exchange;

import io.gatehouse.api.AttemptResult;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.UpstreamSelector;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What the core retries on its own, and what the client gets when a retry finds nowhere to go. */
class RetrySemanticsIntegrationTest {

    @Test
    void aResponseTimeoutOnAPooledConnectionIsAnswered504AfterTheTimeoutAndNotSentTwice() {
        CountDownLatch release = new CountDownLatch(1);
        try (TestOrigin origin = TestOrigin.start(Reply.ok("warm")).answer("/silent", Reply.ok("too late").holdUntil(release));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config("server:\n  timeouts: { response: 1s }\n").start()) {
            assertThat(proxy.get("/warm").body()).isEqualTo("warm"); // the next request goes out on this pooled connection

            long start = System.nanoTime();
            HttpResponse<String> response = proxy.get("/silent");
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(elapsed).as("one response timeout, not two").isBetween(900L, 1_900L);
            assertThat(origin.requestCount("/silent")).as("the origin got the request once").isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aRetryOnAStatusThatFindsNoOtherUpstreamGivesTheClientTheOriginsResponse() {
        try (TestOrigin origin = TestOrigin.start(Reply.text(503, "busy, from the origin").header("Retry-After", "1"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config("filters: [ { type: one-upstream-retry-on-503 } ]").filters(new OneUpstream(origin.port())).start()) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("busy, from the origin");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(origin.requestCount()).isEqualTo(1);
        }
    }

    /** {@code one-upstream-retry-on-503}: one upstream for the first attempt, none after; asks to retry a 503. */
    static final class OneUpstream implements ProxyFilterFactory<Integer> {
        private final int port;

        OneUpstream(int port) {
            this.port = port;
        }

        @Override
        public String type() {
            return "one-upstream-retry-on-503";
        }

        @Override
        public Integer parseConfig(PluginConfig config) {
            return port;
        }

        @Override
        public ProxyFilter create(Integer originPort, FilterContext context) {
            return exchange -> {
                exchange.setUpstreamSelector(new UpstreamSelector() {
                    @Override
                    public Optional<Upstream> select(Exchange current, int attempt) {
                        return attempt == 1 ? Optional.of(new Upstream("http", "127.0.0.1", originPort)) : Optional.empty();
                    }

                    @Override
                    public Optional<Duration> retry(Exchange current, int attempt, AttemptResult result) {
                        return result.status() == 503 ? Optional.of(Duration.ZERO) : Optional.empty();
                    }
                });
                return FilterResult.proceed();
            };
        }
    }
}
