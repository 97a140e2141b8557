package io.gatehouse.plugins.ratelimit;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.testkit.ManualScheduler;
import io.gatehouse.api.testkit.TestExchange;
import io.gatehouse.api.testkit.TestOutcome;
import io.gatehouse.plugins.ratelimit.concurrency.ConcurrencyLimiter;
import io.gatehouse.plugins.ratelimit.limit.CounterStore;
import io.gatehouse.plugins.ratelimit.limit.KeyValues;
import io.gatehouse.plugins.ratelimit.limit.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/** An exchange that ends while its rate limit is still being decided never keeps a concurrency slot. */
class SlotTest {

    /** A remote store whose answer the test gives. */
    private static final class PendingStore implements CounterStore {
        final CompletableFuture<Verdict> answer = new CompletableFuture<>();

        @Override
        public CompletionStage<Verdict> acquire(KeyValues keys) {
            return answer;
        }

        @Override
        public List<String> status() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aTicketTakenAfterTheExchangeEndedIsGivenBackAtOnce() {
        RateLimitConfig config = ConfigReader.read(PluginConfig.of("filters[0].config",
                Map.of("key", "global", "rate", "100/s", "concurrency", Map.of("max-concurrent", 1))));
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 0, Duration.ofSeconds(1), ManualScheduler.create());
        PendingStore store = new PendingStore();
        RateLimitFilter filter = new RateLimitFilter(config, store, Optional.of(limiter), Optional.empty(), () -> { });

        TestExchange leaving = TestExchange.get("/");
        CompletableFuture<FilterResult> pending = filter.onRequest(leaving).toCompletableFuture();
        filter.onComplete(leaving, TestOutcome.aborted().build());   // the client left while Redis was asked
        store.answer.complete(Verdict.unlimited());

        assertThat(pending).isDone();
        assertThat(limiter.activeKeys()).as("the slot was given back").isZero();
        PendingStore next = new PendingStore();
        next.answer.complete(Verdict.unlimited());
        RateLimitFilter again = new RateLimitFilter(config, next, Optional.of(limiter), Optional.empty(), () -> { });
        assertThat(again.onRequest(TestExchange.get("/")).toCompletableFuture().join().proceeds()).isTrue();
    }
}
