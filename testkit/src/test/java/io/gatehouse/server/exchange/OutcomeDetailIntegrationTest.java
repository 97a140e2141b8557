package io.gatehouse.server.exchange;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.server.testing.TestFilters;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** onComplete learns why the proxy answered itself: the stable detail code of {@link LocalResponses}. */
class OutcomeDetailIntegrationTest {

    private static final BlockingQueue<Outcome> OUTCOMES = new LinkedBlockingQueue<>();
    /** What onResponse saw of each response head: "bodyLength localDetail". */
    private static final BlockingQueue<String> HEADS = new LinkedBlockingQueue<>();

    private static List<ProxyFilterFactory<?>> factories() {
        return List.of(new Outcomes(), new TestFilters.Hang());
    }

    private static Outcome nextOutcome() throws InterruptedException {
        Outcome outcome = OUTCOMES.poll(5, TimeUnit.SECONDS);
        assertThat(outcome).as("an outcome").isNotNull();
        return outcome;
    }

    @Test
    void proxiedResponsesHaveNoDetailAndProxyAnswersHaveTheirCode() throws Exception {
        OUTCOMES.clear();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxied = EmbeddedGatehouse.builder().upstream(origin).config("server: { timeouts: { filter: 200ms } }\n"
                     + "filters:\n  - { type: outcomes }\n  - { type: hang, when: { path-prefix: /hang } }\n").filters(factories()).start();
             EmbeddedGatehouse refused = EmbeddedGatehouse.builder().upstream("http://127.0.0.1:" + closedPort)
                     .config("filters:\n  - { type: outcomes }\n").filters(factories()).start()) {
            assertThat(proxied.get("/").statusCode()).isEqualTo(200);
            Outcome proxiedOutcome = nextOutcome();
            assertThat(proxiedOutcome.detail()).isEmpty();
            assertThat(proxiedOutcome.attempts()).isEqualTo(1);
            assertThat(proxiedOutcome.upstreamTime()).hasValueSatisfying(t -> assertThat(t).isPositive()
                    .isLessThanOrEqualTo(java.time.Duration.ofNanos(proxiedOutcome.durationNanos())));

            assertThat(proxied.get("/hang").statusCode()).isEqualTo(504);
            Outcome timedOut = nextOutcome();
            assertThat(timedOut.detail()).hasValue(LocalResponses.FILTER_TIMEOUT.detail()).hasValue("filter_timeout");
            assertThat(timedOut.attempts()).isZero();

            assertThat(refused.get("/").statusCode()).isEqualTo(502);
            Outcome failed = nextOutcome();
            assertThat(failed.detail()).hasValue("upstream_connect_failure");
            assertThat(failed.upstreamTime()).as("no origin answered").isEmpty();
        }
    }

    @Test
    void anUpstreamThatBreaksOffMidBodyIsNamedAndAClientThatLeavesIsNot() throws Exception {
        OUTCOMES.clear();
        try (TestOrigin origin = TestOrigin.start(request -> request.path().equals("/broken")
                    ? Reply.ok("x".repeat(100_000)).breakOffAfter(1000)
                    // far more than the socket buffers on both legs hold: the body cannot be delivered before the client leaves
                    : Reply.status(200).body(1L << 30, () -> new java.io.InputStream() {
                        @Override
                        public int read() {
                            return 'y';
                        }

                        @Override
                        public int read(byte[] b, int off, int len) {
                            java.util.Arrays.fill(b, off, off + len, (byte) 'y');
                            return len;
                        }
                    }));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).config("filters:\n  - { type: outcomes }\n")
                     .filters(factories()).start()) {
            try (RawConnection raw = proxy.raw()) {
                assertThat(raw.send("GET /broken HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClose()).startsWith("HTTP/1.1 200 ");
            }
            Outcome broken = nextOutcome();
            assertThat(broken.kind()).isEqualTo(Outcome.Kind.ABORTED);
            assertThat(broken.detail()).hasValue("upstream_failed_mid_response");

            try (RawConnection raw = proxy.raw()) {
                assertThat(raw.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n").readHead()).startsWith("HTTP/1.1 200 ");
            } // the client leaves with most of the body unread
            Outcome left = nextOutcome();
            assertThat(left.kind()).isEqualTo(Outcome.Kind.ABORTED);
            assertThat(left.detail()).isEmpty();
        }
    }

    @Test
    void responseFiltersSeeTheBodyLengthAndWhetherTheProxyMadeTheResponse() throws Exception {
        HEADS.clear();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TestOrigin origin = TestOrigin.start(Reply.ok("12345"));
             EmbeddedGatehouse proxied = EmbeddedGatehouse.builder().upstream(origin).config("filters:\n  - { type: outcomes }\n")
                     .filters(factories()).start();
             EmbeddedGatehouse refused = EmbeddedGatehouse.builder().upstream("http://127.0.0.1:" + closedPort)
                     .config("filters:\n  - { type: outcomes }\n").filters(factories()).start()) {
            assertThat(proxied.get("/").statusCode()).isEqualTo(200);
            assertThat(HEADS.poll(5, TimeUnit.SECONDS)).isEqualTo("OptionalLong[5] Optional.empty");

            assertThat(refused.get("/").statusCode()).isEqualTo(502);
            assertThat(HEADS.poll(5, TimeUnit.SECONDS)).startsWith("OptionalLong[").endsWith(" Optional[upstream_connect_failure]");
        }
    }

    /** {@code outcomes}: hands every outcome to the test. */
    static final class Outcomes extends TestFilters.Unconfigured {
        Outcomes() {
            super("outcomes");
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    return FilterResult.proceed();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    ResponseHead head = exchange.response().orElseThrow();
                    HEADS.add(head.bodyLength() + " " + head.localDetail());
                    return FilterResult.proceed();
                }

                @Override
                public void onComplete(Exchange exchange, Outcome outcome) {
                    OUTCOMES.add(outcome);
                }
            };
        }
    }
}
