package io.gatehouse.server.chain;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.ProxyFilter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Exchanges keep the snapshot they took; a retired snapshot closes its filters after its last exchange. */
class CurrentChainTest {

    private final List<String> closed = new CopyOnWriteArrayList<>();

    private ProxyFilter filter(String name) {
        return new ProxyFilter() {
            @Override
            public CompletionStage<FilterResult> onRequest(io.gatehouse.api.Exchange exchange) {
                return FilterResult.proceed();
            }

            @Override
            public void close() {
                closed.add(name);
            }
        };
    }

    private static FilterChain chain(ProxyFilter... filters) {
        List<ChainEntry> entries = new ArrayList<>();
        for (int i = 0; i < filters.length; i++) {
            entries.add(new ChainEntry("f" + i, "t", Condition.always(), filters[i]));
        }
        return new FilterChain(entries);
    }

    @Test
    void anExchangeKeepsItsSnapshotAndTheRetiredOneClosesAfterItsLastExchange() {
        FilterChain first = chain(filter("old"));
        CurrentChain current = CurrentChain.of(first);
        FilterChain taken = current.acquire();
        FilterChain second = chain(filter("new"));

        assertThat(current.swap(second)).isSameAs(first);

        assertThat(taken).isSameAs(first);
        assertThat(current.acquire()).isSameAs(second);
        assertThat(closed).isEmpty();
        assertThat(first.users()).isEqualTo(1);

        taken.release();

        assertThat(closed).containsExactly("old");
        assertThat(first.closed()).isTrue();
        assertThat(first.tryRetain()).isFalse();
    }

    @Test
    void aSnapshotWithoutExchangesClosesAtTheSwapAndAnInstanceHandedOverIsNotClosed() {
        ProxyFilter kept = filter("kept");
        FilterChain first = chain(kept, filter("dropped"));
        CurrentChain current = CurrentChain.of(first);
        first.handOver(kept);

        current.swap(chain(kept));

        assertThat(closed).containsExactly("dropped");
        current.close();
        assertThat(closed).containsExactly("dropped", "kept");
    }

    @Test
    void theLastReleaseClosesOnTheGivenExecutorAndRunsTheClosedActions() {
        List<Runnable> queued = new ArrayList<>();
        FilterChain first = chain(filter("old"));
        CurrentChain current = new CurrentChain(first, queued::add);
        List<String> actions = new ArrayList<>();
        first.onClosed(() -> actions.add("plugins released"));

        current.swap(chain(filter("new")));

        assertThat(closed).isEmpty();
        assertThat(queued).hasSize(1);
        queued.get(0).run();
        assertThat(closed).containsExactly("old");
        assertThat(actions).containsExactly("plugins released");
    }
}
