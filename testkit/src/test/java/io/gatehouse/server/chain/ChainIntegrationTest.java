package io.gatehouse.server.chain;

import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.server.testing.TestFilters;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The filter chain on a real server: order, short-circuits, conditions and failures. */
class ChainIntegrationTest {

    @BeforeEach
    void clearJournal() {
        TestFilters.JOURNAL.clear();
    }

    private static TestOrigin origin() {
        return TestOrigin.start(request -> Reply.ok("trail=" + String.join(",", request.headers().all("X-Trail"))
                + " async=" + request.header("X-Async").orElse("-")));
    }

    private static EmbeddedGatehouse proxy(String yaml, List<ProxyFilterFactory<?>> factories) {
        return EmbeddedGatehouse.builder().config(yaml).filters(factories).start();
    }

    private static String yaml(TestOrigin origin, String filters) {
        return "server:\n  upstream: " + origin.url() + "\n  timeouts: { filter: 1s }\nfilters:\n" + filters;
    }

    @Test
    void requestsRunInOrderAndResponsesInReverse() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: mark, config: { label: a } }\n  - { type: mark, config: { label: b } }\n"), TestFilters.all())) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.body()).isEqualTo("trail=a,b async=-");
            assertThat(response.headers().allValues("X-Trail")).containsExactly("b", "a");
            await().atMost(5, TimeUnit.SECONDS).until(() -> TestFilters.JOURNAL.size() == 6);
            assertThat(TestFilters.JOURNAL).containsExactly("a:request", "b:request", "b:response", "a:response",
                    "b:complete:COMPLETED:200", "a:complete:COMPLETED:200");
        }
    }

    @Test
    void shortCircuitSkipsLaterFiltersAndTheOrigin() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: mark, config: { label: a } }\n  - { type: answer, config: { status: 403 } }\n"
                        + "  - { type: mark, config: { label: never } }\n"), TestFilters.all())) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).isEqualTo("answered by filter\n");
            assertThat(response.headers().allValues("X-Trail")).containsExactly("a");
            assertThat(origin.requests()).isEmpty();
            await().atMost(5, TimeUnit.SECONDS).until(() -> TestFilters.JOURNAL.contains("a:complete:COMPLETED:403"));
            assertThat(TestFilters.JOURNAL).noneMatch(entry -> entry.startsWith("never"));
        }
    }

    @Test
    void whenConditionsSelectWhichFiltersRun() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: mark, when: { path-prefix: /api }, config: { label: api } }\n"
                        + "  - { type: mark, when: { method: POST }, config: { label: post } }\n"
                        + "  - { type: mark, when: { header: { X-Beta: \"yes\" } }, config: { label: beta } }\n"
                        + "  - { type: mark, when: { host: \"*.example.com\" }, config: { label: host } }\n"), TestFilters.all())) {
            assertThat(proxy.get("/api/x").body()).isEqualTo("trail=api async=-");
            assertThat(proxy.get("/apix").body()).isEqualTo("trail= async=-");
            assertThat(proxy.send(HttpRequest.newBuilder(proxy.uri("/")).POST(HttpRequest.BodyPublishers.ofString("x"))
                    .header("X-Beta", "yes").build()).body()).isEqualTo("trail=post,beta async=-");
        }
    }

    @Test
    void asynchronousFiltersAreAwaited() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: async }\n  - { type: mark, config: { label: after } }\n"), TestFilters.all())) {
            assertThat(proxy.get("/").body()).isEqualTo("trail=after async=done");
        }
    }

    @Test
    void throwingFilterGives500AndOthersStillComplete() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: mark, config: { label: a } }\n  - { type: fail }\n"), TestFilters.all())) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("boom").doesNotContain("Exception");
            assertThat(origin.requests()).isEmpty();
            await().atMost(5, TimeUnit.SECONDS).until(() -> TestFilters.JOURNAL.contains("a:complete:COMPLETED:500"));
            assertThat(proxy.get("/").statusCode()).isEqualTo(500);
        }
    }

    @Test
    void failedStageGives500() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: fail, config: { async: true } }\n"), TestFilters.all())) {
            assertThat(proxy.get("/").statusCode()).isEqualTo(500);
        }
    }

    @Test
    void filterPastItsDeadlineGives504() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: hang }\n"), TestFilters.all())) {
            long start = System.nanoTime();
            HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/"))
                    .timeout(Duration.ofSeconds(10)).build());

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 3_000L);
        }
    }

    @Test
    void originErrorsPassThroughResponseFilters() {
        try (EmbeddedGatehouse proxy = proxy("server:\n  upstream: http://127.0.0.1:1\nfilters:\n"
                + "  - { type: mark, config: { label: a } }\n", TestFilters.all())) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.headers().allValues("X-Trail")).containsExactly("a");
        }
    }

    @Test
    void aReplacedResponseIsWhatEarlierFiltersEdit() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: mark, config: { label: a } }\n  - { type: replace }\n"), TestFilters.all())) {
            HttpResponse<String> response = proxy.get("/");

            assertThat(response.statusCode()).isEqualTo(299);
            assertThat(response.body()).isEqualTo("replaced");
            assertThat(response.headers().firstValue("X-Replaced")).hasValue("yes");
            assertThat(response.headers().allValues("X-Trail")).containsExactly("a");
        }
    }

    @Test
    void framingSetByFiltersNeverReachesTheWire() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: meddle }\n"), TestFilters.all())) {
            String response;
            try (RawConnection raw = proxy.raw()) {
                response = raw.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            }

            assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\ntrail= async=-");
            assertThat(response.toLowerCase()).doesNotContain("transfer-encoding").contains("content-length: 14");
            assertThat(origin.lastRequest().headers().contains("Content-Length")).isFalse();
            assertThat(origin.lastRequest().headers().contains("Transfer-Encoding")).isFalse();
            assertThat(origin.lastRequest().headers().contains("Connection")).isFalse();
        }
    }

    @Test
    void responseObserversSeeOriginAndLocalBodies() {
        try (TestOrigin origin = origin(); EmbeddedGatehouse proxy = proxy(yaml(origin,
                "  - { type: observe }\n  - { type: answer, when: { path-prefix: /local }, config: { status: 202 } }\n"),
                TestFilters.all())) {
            String body = proxy.get("/remote").body();
            await().atMost(5, TimeUnit.SECONDS).until(() -> TestFilters.JOURNAL.size() == 2);
            assertThat(TestFilters.JOURNAL).containsExactly("observe:end:" + body.length(),
                    "observe:complete:COMPLETED:" + body.length());

            TestFilters.JOURNAL.clear();
            assertThat(proxy.get("/local").statusCode()).isEqualTo(202);
            await().atMost(5, TimeUnit.SECONDS).until(() -> TestFilters.JOURNAL.size() == 2);
            int local = "answered by filter\n".length();
            assertThat(TestFilters.JOURNAL).containsExactly("observe:end:" + local, "observe:complete:COMPLETED:" + local);
        }
    }

    @Test
    void clientAbortStillCompletesEveryFilter() {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("read it all"));
             EmbeddedGatehouse proxy = proxy(yaml(origin, "  - { type: mark, config: { label: a } }\n"), TestFilters.all())) {
            try (RawConnection raw = proxy.raw()) {
                raw.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\nonly a little");
                await().atMost(5, TimeUnit.SECONDS).until(() -> TestFilters.JOURNAL.contains("a:request"));
            }

            await().atMost(10, TimeUnit.SECONDS).until(() -> TestFilters.JOURNAL.contains("a:complete:ABORTED:0"));
        }
    }
}
