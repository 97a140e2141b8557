package io.gatehouse.server.listener;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a client connection closes and when it stays open.
 *
 * <ul>
 *   <li>An HTTP/1.0 client that asks for keep-alive gets {@code Connection: keep-alive} and keeps
 *       its connection (it used to get {@code Connection: close}, and the next request was still
 *       served on the connection that response said it would close).</li>
 *   <li>An exchange that ends by closing its connection at once (a malformed or refused body that
 *       the proxy stops discarding after its lingering second) closes it even when the connection
 *       was already closing after an earlier response: HttpCore takes no more commands once it
 *       shuts down gracefully, and the close used to wait for the idle timeout.</li>
 * </ul>
 */
class ClosingConnectionIntegrationTest {

    private static TestOrigin origin;
    private static EmbeddedGatehouse proxy;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start().answer("/reset", Reply.reset());
        proxy = EmbeddedGatehouse.builder().upstream(origin)
                .config("server:\n  limits: { body: 1KiB }\n  timeouts: { idle: 60s }\n").start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void anHttp10ClientThatAsksForKeepAliveKeepsItsConnection() {
        try (RawConnection raw = proxy.raw()) {
            String first = raw.send("GET /one HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n").readResponse();
            String second = raw.send("GET /two HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n").readResponse();

            assertThat(first).contains("Connection: keep-alive").doesNotContain("close").endsWith("origin saw GET /one");
            assertThat(second).contains("Connection: keep-alive").endsWith("origin saw GET /two");
        }
    }

    @Test
    void anHttp10ClientThatDoesNotAskForKeepAliveIsClosed() {
        try (RawConnection raw = proxy.raw()) {
            String received = raw.send("GET /once HTTP/1.0\r\nHost: a\r\n\r\n").readUntilClose();

            assertThat(received).contains("Connection: close").endsWith("origin saw GET /once");
        }
    }

    static Stream<String> unreadBodies() {
        return Stream.of("POST /malformed HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nmore",
                "POST /too-large HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + "x".repeat(2048) + "\r\nmore");
    }

    @ParameterizedTest
    @MethodSource("unreadBodies")
    void aLingeringCloseBehindAClosingResponseHappens(String second) {
        long start = System.nanoTime();
        try (RawConnection raw = proxy.raw().timeout(Duration.ofSeconds(10))) {
            // the origin resets: 502 with Connection: close, then the pipelined request is answered and lingers
            String received = raw.send("GET /reset HTTP/1.1\r\nHost: a\r\n\r\n" + second).readUntilClose();

            assertThat(received).startsWith("HTTP/1.1 502 ");
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    }
}
