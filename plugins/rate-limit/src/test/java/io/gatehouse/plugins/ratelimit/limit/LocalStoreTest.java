package io.gatehouse.plugins.ratelimit.limit;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Several limits on one request: the strictest answers, and a rejection costs no limit anything. */
class LocalStoreTest {

    private static final long S = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong();
    private final Ticker ticker = now::get;

    private static LimitSpec spec(String name, String rate, long burst, Algorithm algorithm) {
        return new LimitSpec(name, Rate.parse(rate), burst, algorithm);
    }

    @Test
    void theStrictestLimitAnswersAndTheOthersAreNotCharged() {
        LocalStore store = new LocalStore(List.of(spec("per-ip", "1/min", 10, Algorithm.TOKEN_BUCKET),
                spec("per-route", "1/s", 2, Algorithm.GCRA)), 1000, ticker);
        KeyValues keys = KeyValues.of("10.0.0.1", "orders");

        Verdict first = store.decide(keys);
        assertThat(first.kind()).isEqualTo(Verdict.Kind.ALLOWED);
        assertThat(first.decisions()).extracting(a -> a.decision().remaining()).containsExactly(9L, 1L);
        store.decide(keys);

        Verdict third = store.decide(keys);
        assertThat(third.kind()).isEqualTo(Verdict.Kind.REJECTED);
        assertThat(third.decisions()).singleElement().satisfies(a -> {
            assertThat(a.limit()).isEqualTo(1);
            assertThat(a.decision().retryAfterNanos()).isEqualTo(S);
        });
        // per-ip gave back the token of the rejected request: 8 left after two admitted requests.
        now.addAndGet(S);
        assertThat(store.decide(keys).decisions().get(0).decision().remaining()).isEqualTo(7);
    }

    @Test
    void ofSeveralRejectionsTheLongestWaitIsShown() {
        LocalStore store = new LocalStore(List.of(spec("a", "1/s", 1, Algorithm.TOKEN_BUCKET),
                spec("b", "1/min", 1, Algorithm.TOKEN_BUCKET)), 1000, ticker);
        store.decide(KeyValues.of("x", "y"));
        Verdict rejected = store.decide(KeyValues.of("x", "y"));
        assertThat(rejected.decisions()).singleElement().satisfies(a -> assertThat(a.limit()).isEqualTo(1));
        assertThat(rejected.decisions().get(0).decision().retryAfterNanos()).isEqualTo(60 * S);
    }

    @Test
    void aLimitWithoutKeyDoesNotApply() {
        LocalStore store = new LocalStore(List.of(spec("a", "1/min", 1, Algorithm.TOKEN_BUCKET),
                spec("b", "1/min", 1, Algorithm.SLIDING_WINDOW)), 1000, ticker);
        KeyValues onlyB = KeyValues.wrap(new String[] {null, "k"});
        assertThat(store.decide(onlyB).decisions()).extracting(Verdict.Applied::limit).containsExactly(1);
        assertThat(store.decide(KeyValues.wrap(new String[] {null, null}))).isEqualTo(Verdict.unlimited());
    }

    @Test
    void keysAreIndependentAndIdleKeysExpire() {
        LocalStore store = new LocalStore(List.of(spec("a", "1/s", 1, Algorithm.TOKEN_BUCKET)), 1000, ticker);
        assertThat(store.decide(KeyValues.of("one")).admits()).isTrue();
        assertThat(store.decide(KeyValues.of("one")).admits()).isFalse();
        assertThat(store.decide(KeyValues.of("two")).admits()).isTrue();
        assertThat(store.limiters().get(0).keys()).isEqualTo(2);
        now.addAndGet(2 * S);   // longer than a full refill: the keys are as good as new, and dropped
        assertThat(store.limiters().get(0).keys()).isZero();
    }
}
