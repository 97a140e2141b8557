package io.gatehouse.plugins.canary;

import io.gatehouse.api.Outcome;
import io.gatehouse.api.testkit.TestOutcome;
import org.junit.jupiter.api.Test;

import static io.gatehouse.plugins.canary.RollbackJudge.Verdict.FAILURE;
import static io.gatehouse.plugins.canary.RollbackJudge.Verdict.NOT_JUDGED;
import static io.gatehouse.plugins.canary.RollbackJudge.Verdict.SUCCESS;
import static io.gatehouse.plugins.canary.RollbackJudge.judge;
import static org.assertj.core.api.Assertions.assertThat;

/** What counts towards a canary's rollback: the upstream's answers and failures, nothing else. */
class RollbackJudgeTest {

    private static Outcome upstream(int status) {
        return TestOutcome.completed(status).attempts(1).build();
    }

    @Test
    void theUpstreamsAnswersAreJudgedByStatus() {
        assertThat(judge(upstream(200))).isEqualTo(SUCCESS);
        assertThat(judge(upstream(404))).isEqualTo(SUCCESS);
        assertThat(judge(upstream(500))).isEqualTo(FAILURE);
        assertThat(judge(upstream(503))).isEqualTo(FAILURE);
        assertThat(judge(TestOutcome.completed(200).attempts(2).build())).as("a retry that succeeded").isEqualTo(SUCCESS);
    }

    @Test
    void theUpstreamsFailuresCount() {
        for (String detail : RollbackJudge.UPSTREAM_FAILURES) {
            int status = detail.contains("timeout") ? 504 : 502;
            assertThat(judge(TestOutcome.completed(status).attempts(1).detail(detail).build())).as(detail).isEqualTo(FAILURE);
        }
    }

    @Test
    void clientsThatWentAwayAreNotJudged() {
        assertThat(judge(TestOutcome.aborted().attempts(1).build())).as("reset before any answer").isEqualTo(NOT_JUDGED);
        assertThat(judge(TestOutcome.aborted().build())).as("gone before forwarding").isEqualTo(NOT_JUDGED);
        assertThat(judge(TestOutcome.aborted().status(200).attempts(1).build())).as("gone during the body").isEqualTo(NOT_JUDGED);
        assertThat(judge(TestOutcome.aborted().status(503).attempts(1).build())).as("the upstream's 5xx head went out")
                .isEqualTo(FAILURE);
    }

    @Test
    void anUpstreamThatBrokeOffMidBodyIsAFailureEvenAfterA200Head() {
        assertThat(judge(TestOutcome.aborted().status(200).attempts(1).detail("upstream_failed_mid_response").build()))
                .isEqualTo(FAILURE);
    }

    @Test
    void answersOfTheProxyAndOfFiltersAreNotJudged() {
        assertThat(judge(TestOutcome.completed(500).detail("filter_failed").build())).isEqualTo(NOT_JUDGED);
        assertThat(judge(TestOutcome.completed(504).detail("filter_timeout").build())).isEqualTo(NOT_JUDGED);
        assertThat(judge(TestOutcome.completed(500).detail("internal_error").attempts(1).build())).isEqualTo(NOT_JUDGED);
        assertThat(judge(TestOutcome.completed(503).detail("no_healthy_upstream").build())).isEqualTo(NOT_JUDGED);
        assertThat(judge(TestOutcome.completed(503).detail("shutting_down").attempts(1).build())).isEqualTo(NOT_JUDGED);
        assertThat(judge(TestOutcome.completed(413).detail("request_body_too_large").attempts(1).build())).isEqualTo(NOT_JUDGED);
        assertThat(judge(TestOutcome.completed(503).build())).as("a circuit breaker's answer: no attempt").isEqualTo(NOT_JUDGED);
        assertThat(judge(TestOutcome.completed(200).build())).as("a cache hit").isEqualTo(NOT_JUDGED);
    }
}
