package io.gatehouse.server.listener;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends its requests and then shuts down its sending side (a half-close, as
 * {@code printf ... | nc} does) gets every response, and then the connection closes: pipelined
 * requests are not dropped at the end of the client's input, and an unfinished head behind them
 * is refused in its turn. A client that stops inside a body still ends its exchange at once.
 */
class HalfCloseIntegrationTest {

    private static final String GET = "GET /%s HTTP/1.1\r\nHost: a\r\n\r\n";

    private static TestOrigin origin;
    private static EmbeddedGatehouse proxy;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start();
        proxy = EmbeddedGatehouse.builder().upstream(origin).config("server:\n  timeouts: { request-head: 10s }\n").start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void oneRequestThenTheEndOfInputIsAnsweredAndClosed() throws IOException {
        String received = sendAndHalfClose(String.format(GET, "one"));

        assertThat(received).startsWith("HTTP/1.1 200 ").endsWith("origin saw GET /one");
    }

    @Test
    void everyPipelinedRequestIsAnsweredBeforeTheClose() throws IOException {
        String received = sendAndHalfClose(String.format(GET, "p1") + String.format(GET, "p2") + String.format(GET, "p3"));

        assertThat(received.split("HTTP/1\\.1 200 ", -1)).as(received).hasSize(4);
        assertThat(received).contains("origin saw GET /p1").contains("origin saw GET /p2").endsWith("origin saw GET /p3");
    }

    @Test
    void anUnfinishedHeadBehindARequestIsRefusedInItsTurn() throws IOException {
        String received = sendAndHalfClose(String.format(GET, "first") + "GET /second HTTP/1.1\r\nHost: a\r\nX-Half");

        assertThat(received).startsWith("HTTP/1.1 200 ").contains("origin saw GET /first");
        assertThat(received.substring(received.indexOf("origin saw GET /first"))).contains("HTTP/1.1 400 ");
        assertThat(origin.requests("/second")).isEmpty();
    }

    @Test
    void aMalformedHeadBehindARequestIsRefusedInItsTurn() throws IOException {
        String received = sendAndHalfClose(String.format(GET, "before") + "GET /bad HTTP/1.1\r\nHost: a\r\nBad{Name}: x\r\n\r\n");

        assertThat(received).startsWith("HTTP/1.1 200 ").contains("origin saw GET /before");
        assertThat(received.substring(received.indexOf("origin saw GET /before"))).contains("HTTP/1.1 400 ");
        assertThat(origin.requests("/bad")).isEmpty();
    }

    @Test
    void aClientThatStopsInsideABodyEndsItsExchangeAtOnce() throws IOException {
        long start = System.nanoTime();
        String received = sendAndHalfClose("POST /cut HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");

        assertThat(received).doesNotContain("HTTP/1.1 200 ");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    }

    @Test
    void aPipelinedRequestThatStopsInsideItsBodyEndsTheConnection() throws IOException {
        long start = System.nanoTime();
        String received = sendAndHalfClose(String.format(GET, "whole")
                + "POST /cut HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");

        assertThat(received).doesNotContain("origin saw POST");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    }

    /** @return everything received until the proxy closed the connection */
    private static String sendAndHalfClose(String requests) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("not closed within 10 s; received: " + received.toString(StandardCharsets.ISO_8859_1));
            } catch (SocketException e) {
                // reset: what arrived is the answer
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
