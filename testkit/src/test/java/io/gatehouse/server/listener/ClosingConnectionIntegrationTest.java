package io.gatehouse.server.listener;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exchange that ends by closing its connection at once (a malformed or refused body that the
 * proxy stops discarding after its lingering second) closes it even when the connection was
 * already closing after an earlier response: HttpCore takes no more commands once it shuts down
 * gracefully, and the close used to wait for the idle timeout. (Today an HTTP/1.0 request is
 * always answered with {@code Connection: close}, which is what puts the connection in that state
 * here.)
 */
class ClosingConnectionIntegrationTest {

    private static TestOrigin origin;
    private static EmbeddedGatehouse proxy;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start();
        proxy = EmbeddedGatehouse.builder().upstream(origin)
                .config("server:\n  limits: { body: 1KiB }\n  timeouts: { idle: 60s }\n").start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST /malformed HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nmore",
            "POST /too-large HTTP/1.1\r\nHost: a\r\nContent-Length: 10000\r\n\r\nabc"})
    void aLingeringCloseBehindAClosingResponseHappens(String second) {
        long start = System.nanoTime();
        try (RawConnection raw = proxy.raw().timeout(Duration.ofSeconds(10))) {
            String received = raw.send("GET /first HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n" + second).readUntilClose();

            assertThat(received).startsWith("HTTP/1.1 200 ").contains("origin saw GET /first");
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    }
}
