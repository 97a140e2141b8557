package io.gatehouse.server.listener;

import com.sun.management.UnixOperatingSystemMXBean;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Idle client connections cost almost no memory (they drop HttpCore's session buffers while
 * quiet between requests and take fresh ones when their client sends again), and {@code
 * server.limits.connections} caps how many may be open.
 */
class IdleConnectionsIntegrationTest {

    private static final String ADMIN = "admin:\n  listen: 127.0.0.1:0\n";
    private static final byte[] REQUEST = "GET /idle HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** The budget of issue #12: heap per idle keep-alive connection. */
    private static final long BUDGET_PER_CONNECTION = 24 * 1024;

    @Test
    void thousandsOfIdleKeepAliveConnectionsFitTheBudgetAndStillServe() throws Exception {
        int count = connectionsThisMachineAllows(2000);
        try (TestOrigin origin = TestOrigin.start(Reply.ok("idle body"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).config(ADMIN).start()) {
            try (RawConnection warmUp = proxy.raw()) {
                assertThat(warmUp.send("GET /warm-up HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200 ");
            }
            long before = heapAfterGc();
            List<Socket> clients = new ArrayList<>(count);
            try {
                for (int i = 0; i < count; i++) {
                    Socket socket = new Socket();
                    clients.add(socket);
                    socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(REQUEST);
                    assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("idle body");
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(stats(proxy).get("connections_asleep")).isEqualTo((long) count));
                long perConnection = (heapAfterGc() - before) / count;

                assertThat(perConnection)
                        .as("heap per idle connection, proxy and test client together, over %d connections", count)
                        .isLessThanOrEqualTo(BUDGET_PER_CONNECTION);
                System.out.printf("heap per idle connection over %d connections: %d bytes%n", count, perConnection);
                assertThat(stats(proxy)).containsEntry("connections_refused", 0L);
                // meanwhile other clients are served as usual, and every sleeper wakes up to a second request
                try (RawConnection other = proxy.raw()) {
                    assertThat(other.send("GET /other HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200 ");
                }
                for (int i = 0; i < count; i += 97) {
                    Socket socket = clients.get(i);
                    socket.getOutputStream().write(REQUEST);
                    assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("idle body");
                }
            } finally {
                for (Socket socket : clients) {
                    socket.close();
                }
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(stats(proxy).get("connections_open")).isZero());
        }
    }

    @Test
    void anAsleepConnectionReadsPipelinedRequestsInOrderWhenItWakes() throws Exception {
        try (TestOrigin origin = TestOrigin.start(request -> Reply.ok("answer " + request.path()));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).config(ADMIN).start();
             RawConnection raw = proxy.raw()) {
            assertThat(raw.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).endsWith("answer /1");
            awaitAsleep(proxy, 1);

            raw.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\nPOST /3 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbodyGET /4 HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(raw.readResponse()).endsWith("answer /2");
            assertThat(raw.readResponse()).endsWith("answer /3");
            assertThat(raw.readResponse()).endsWith("answer /4");
            assertThat(origin.requests()).extracting(r -> r.path()).containsExactly("/1", "/2", "/3", "/4");
            assertThat(origin.requests().get(2).bodyText()).isEqualTo("body");
        }
    }

    @Test
    void aConnectionThatNeverSendsIsAsleepFromTheStartAndServesItsFirstRequest() throws Exception {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("first"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).config(ADMIN).start();
             RawConnection raw = proxy.raw()) {
            awaitAsleep(proxy, 1);
            assertThat(raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200 ").endsWith("first");
        }
    }

    @Test
    void anAsleepConnectionIsClosedByTheIdleTimeout() throws Exception {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config(ADMIN + "server:\n  timeouts: { idle: 2s, connect: 200ms, response: 1s }\n").start();
             RawConnection raw = proxy.raw().timeout(Duration.ofSeconds(15))) {
            raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            awaitAsleep(proxy, 1);

            assertThat(raw.readUntilClose()).isEmpty();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(stats(proxy)).containsEntry("connections_open", 0L).containsEntry("connections_asleep", 0L));
        }
    }

    @Test
    void aGracefulStopClosesAsleepConnectionsAtOnce() throws Exception {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin).config(ADMIN).start();
             RawConnection raw = proxy.raw().timeout(Duration.ofSeconds(10))) {
            raw.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
            awaitAsleep(proxy, 1);

            long start = System.nanoTime();
            assertThat(proxy.stop(Duration.ofSeconds(5))).isTrue();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThat(raw.readUntilClose()).isEmpty();
        }
    }

    @Test
    void connectionsPastTheLimitAreClosedAtOnceAndCounted() throws Exception {
        try (TestOrigin origin = TestOrigin.start(Reply.ok("served"));
             EmbeddedGatehouse proxy = EmbeddedGatehouse.builder().upstream(origin)
                     .config(ADMIN + "server:\n  limits: { connections: 2 }\n").start();
             RawConnection first = proxy.raw();
             RawConnection second = proxy.raw()) {
            assertThat(first.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).endsWith("served");
            assertThat(second.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).endsWith("served");

            try (RawConnection third = proxy.raw()) {
                assertThat(third.readUntilClose()).isEmpty();
            }
            assertThat(stats(proxy)).containsEntry("connections_refused", 1L).containsEntry("connections_open", 2L);

            second.close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(stats(proxy)).containsEntry("connections_open", 1L));
            try (RawConnection fourth = proxy.raw()) {
                assertThat(fourth.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).endsWith("served");
            }
            assertThat(first.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse()).endsWith("served");
        }
    }

    private static void awaitAsleep(EmbeddedGatehouse proxy, long count) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stats(proxy)).containsEntry("connections_asleep", count));
    }

    private static Map<String, Long> stats(EmbeddedGatehouse proxy) throws Exception {
        HttpResponse<String> response = proxy.client().send(HttpRequest.newBuilder(proxy.adminUri("/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body().lines().map(line -> line.split(" "))
                .collect(Collectors.toMap(parts -> parts[0], parts -> Long.parseLong(parts[1])));
    }

    /** Reads one small response with a Content-Length, without a buffer of its own per socket. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("connection closed inside the response head: %s", head).isNotNegative();
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase();
        int at = lower.indexOf("content-length:") + "content-length:".length();
        int length = Integer.parseInt(lower.substring(at, lower.indexOf("\r\n", at)).trim());
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Each connection is two descriptors in this JVM (client and proxy side). */
    private static int connectionsThisMachineAllows(int wanted) {
        long limit = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : 4096;
        int count = (int) Math.min(wanted, (limit - 1024) / 2);
        assumeTrue(count >= 500, "too few file descriptors for the idle-connection test: " + limit);
        return count;
    }
}
