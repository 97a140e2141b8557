package io.gatehouse.server.exchange;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipelined requests reach the origin in the order they were received, one after the other: the
 * next is not forwarded before the previous exchange's response has finished (RFC 9112 §9.3.2).
 */
class PipeliningIntegrationTest {

    @Test
    void pipelinedRequestsReachTheOriginInOrderAndOneAtATime() {
        CountDownLatch thirdArrived = new CountDownLatch(1);
        AtomicBoolean thirdArrivedBeforeFirstWasAnswered = new AtomicBoolean();
        try (TestOrigin origin = TestOrigin.start((ReceivedRequest request) -> {
            if (request.path().equals("/3")) {
                thirdArrived.countDown();
            }
            if (request.path().equals("/1")) {
                try {
                    // the origin takes its time with /1; /3 must not show up meanwhile
                    thirdArrivedBeforeFirstWasAnswered.set(thirdArrived.await(700, TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Reply.ok("answer " + request.path() + " " + request.bodyText());
        }); EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start();
             RawConnection raw = proxy.raw()) {
            raw.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody"
                    + "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200").endsWith("answer /1 ");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200").endsWith("answer /2 body");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200").endsWith("answer /3 ");
            assertThat(origin.requests()).extracting(ReceivedRequest::path).containsExactly("/1", "/2", "/3");
            assertThat(thirdArrivedBeforeFirstWasAnswered).as("/3 forwarded while /1 was still being answered").isFalse();
        }
    }

    @Test
    void http10KeepAliveRequestsAreForwardedInOrder() {
        CountDownLatch secondArrived = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        try (TestOrigin origin = TestOrigin.start((ReceivedRequest request) -> {
            if (request.path().equals("/b")) {
                secondArrived.countDown();
            } else {
                try {
                    overlapped.set(secondArrived.await(500, TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Reply.ok("answer " + request.path());
        }); EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start();
             RawConnection raw = proxy.raw()) {
            raw.send("GET /a HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n"
                    + "GET /b HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");

            assertThat(raw.readResponse()).endsWith("answer /a");
            assertThat(raw.readResponse()).endsWith("answer /b");
            assertThat(origin.requests()).extracting(ReceivedRequest::path).containsExactly("/a", "/b");
            assertThat(overlapped).isFalse();
        }
    }

    @Test
    void aDeepPipelineIsServedInOrderAndLocalAnswersInItAreSent() {
        try (TestOrigin origin = TestOrigin.start((ReceivedRequest request) -> Reply.ok("fine " + request.path()))
                .answer("/slow", Reply.ok("slow").delay(java.time.Duration.ofMillis(200)));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).start()) {
            StringBuilder burst = new StringBuilder("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            for (int i = 0; i < 40; i++) {
                burst.append(i == 20 ? "GET /n20 HTTP/1.1\r\nHost: a\r\nExpect: nonsense\r\n\r\n" // answered 417 by the proxy
                        : "GET /n" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
            }
            try (RawConnection raw = proxy.raw()) {
                raw.send(burst.toString());
                assertThat(raw.readResponse()).endsWith("slow");
                for (int i = 0; i < 20; i++) {
                    assertThat(raw.readResponse()).endsWith("fine /n" + i);
                }
                assertThat(raw.readResponse()).startsWith("HTTP/1.1 417");
            }
            assertThat(origin.requests()).extracting(ReceivedRequest::path).startsWith("/slow", "/n0", "/n1", "/n2");
            assertThat(proxy.get("/after").body()).isEqualTo("fine /after");
        }
    }
}
