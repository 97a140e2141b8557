package io.gatehouse.server.listener;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TlsBufferBudgetTest {

    @Test
    void connectionsKeepTheirBuffersUpToTheBudgetAndGiveTheirPlaceBackWhenTheyClose() {
        TlsBufferBudget budget = new TlsBufferBudget(2);

        assertThat(budget.tryKeep()).isTrue();
        assertThat(budget.tryKeep()).isTrue();
        assertThat(budget.tryKeep()).as("over the budget: buffers per event").isFalse();
        assertThat(budget.kept()).isEqualTo(2);

        budget.giveBack();

        assertThat(budget.kept()).isEqualTo(1);
        assertThat(budget.tryKeep()).isTrue();
        assertThat(budget.kept()).isEqualTo(2);
    }

    @Test
    void theBudgetIsASixteenthOfTheHeap() {
        TlsBufferBudget budget = TlsBufferBudget.ofHeap(1024L * 1024 * 1024);

        assertThat(budget.max()).isEqualTo(64 * 1024 * 1024 / TlsBufferBudget.BYTES_PER_CONNECTION);
        assertThat(budget.max() * (long) TlsBufferBudget.BYTES_PER_CONNECTION).isLessThanOrEqualTo(64L * 1024 * 1024);
    }
}
