package io.gatehouse.server.outbound;

import io.gatehouse.api.outbound.OutboundConnectException;
import io.gatehouse.api.outbound.OutboundException;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundResponse;
import io.gatehouse.api.outbound.OutboundTimeoutException;
import io.gatehouse.api.outbound.ResponseTooLargeException;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The server's outbound client against real loopback origins. */
class OutboundHttpClientIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final TestOrigin origin = TestOrigin.start();
    private OutboundHttpClient client = new OutboundHttpClient(OutboundSettings.DEFAULTS, timer);

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        origin.close();
        timer.shutdownNow();
    }

    private CompletableFuture<OutboundResponse> send(OutboundRequest.Builder request) {
        return client.send(request.build()).toCompletableFuture();
    }

    private static Throwable failureOf(CompletableFuture<?> call) {
        return call.handle((response, failure) -> failure).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Test
    void sendsTheRequestAndReadsTheWholeResponse() {
        origin.answer("/echo", request -> Reply.text(201, "got " + request.method() + " " + request.bodyText()).header("X-Seen", "yes"));
        OutboundResponse response = send(OutboundRequest.request("POST", origin.url() + "/echo?x=1")
                .header("Content-Type", "text/plain").header("X-Trace", "t-1").body("hello")).join();

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.bodyText()).isEqualTo("got POST hello");
        assertThat(response.headers().first("x-seen")).hasValue("yes");
        assertThat(origin.lastRequest().target()).isEqualTo("/echo?x=1");
        assertThat(origin.lastRequest().header("X-Trace")).hasValue("t-1");
        assertThat(origin.lastRequest().header("Content-Length")).hasValue("5");
        assertThat(origin.lastRequest().header("User-Agent")).hasValue("gatehouse");
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void connectionsAreReusedAndTheThreadsAreTheClientsOwn() {
        for (int i = 0; i < 10; i++) {
            assertThat(send(OutboundRequest.get(origin.url() + "/n" + i)).join().status()).isEqualTo(200);
        }
        // httpclient5 completes a call just before it returns the connection to the pool, so a request
        // sent at once may open a second one; sequential requests never need a third
        assertThat(origin.connectionsAccepted()).isBetween(1, 2);
        origin.answer("/t", Reply.ok("t").holdUntil(release)); // so that the continuation is registered before the answer
        CompletableFuture<String> thread = send(OutboundRequest.get(origin.url() + "/t")).thenApply(r -> Thread.currentThread().getName());
        origin.awaitRequests(11, WAIT);
        release.countDown();
        assertThat(thread.join()).startsWith("gatehouse-outbound-");
    }

    @Test
    void aHostNameIsResolvedOnTheResolverThreadsNeverOnTheCallersAndOnlyOnceWhileFresh() throws Exception {
        CountDownLatch lookupMayAnswer = new CountDownLatch(1);
        java.util.List<String> lookupThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        HostAddresses slowResolver = new HostAddresses(host -> {
            lookupThreads.add(Thread.currentThread().getName());
            try {
                if (!lookupMayAnswer.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new java.net.UnknownHostException(host + ": test resolver not released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }, System::nanoTime);
        client.close();
        client = new OutboundHttpClient(OutboundSettings.DEFAULTS, timer, slowResolver);
        String url = "http://slow-dns.test:" + java.net.URI.create(origin.url()).getPort() + "/dns";

        CompletableFuture<OutboundResponse> first = send(OutboundRequest.get(url)); // returns although the lookup blocks
        await().atMost(WAIT).until(() -> lookupThreads.size() == 1);
        assertThat(first).isNotDone();
        lookupMayAnswer.countDown();

        assertThat(first.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().status()).isEqualTo(200);
        assertThat(send(OutboundRequest.get(url)).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().status()).isEqualTo(200);
        assertThat(lookupThreads).singleElement().satisfies(name -> assertThat(name).startsWith("gatehouse-dns-"));
    }

    @Test
    void aNameThatDoesNotResolveIsAConnectFailure() {
        client.close();
        client = new OutboundHttpClient(OutboundSettings.DEFAULTS, timer, new HostAddresses(host -> {
            throw new java.net.UnknownHostException(host);
        }, System::nanoTime));

        Throwable failure = failureOf(send(OutboundRequest.get("http://no-such-host.test/x")));

        assertThat(failure).isInstanceOf(OutboundException.class).hasMessageContaining("no-such-host.test");
    }

    @Test
    void anIdlePooledConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        client.close();
        client = new OutboundHttpClient(new OutboundSettings(1, 2, 2, Duration.ofMillis(300)), timer);
        CountDownLatch closedByClient = new CountDownLatch(1);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread origin = new Thread(() -> {
                try (java.net.Socket socket = listener.accept()) {
                    socket.getInputStream().read(new byte[8192]); // the request head
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes());
                    if (socket.getInputStream().read() < 0) {
                        closedByClient.countDown();
                    }
                } catch (IOException e) {
                    // the test fails on the latch
                }
            }, "idle-origin");
            origin.setDaemon(true);
            origin.start();

            assertThat(send(OutboundRequest.get("http://127.0.0.1:" + listener.getLocalPort() + "/")).join().bodyText()).isEqualTo("ok");
            assertThat(closedByClient.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the idle connection was closed").isTrue();
        }
    }

    @Test
    void aSilentOriginTimesOutWithinTheCallsTimeoutAndItsConnectionIsClosed() {
        origin.answer("/held", Reply.ok("late").holdUntil(release));
        long start = System.nanoTime();
        CompletableFuture<OutboundResponse> call = send(OutboundRequest.get(origin.url() + "/held").timeout(Duration.ofMillis(300)));

        assertThat(failureOf(call)).isInstanceOf(OutboundTimeoutException.class).hasMessageContaining("GET " + origin.url() + "/held");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
        release.countDown();
        assertThat(send(OutboundRequest.get(origin.url() + "/after")).join().status()).isEqualTo(200);
        assertThat(origin.connectionsAccepted()).as("the timed-out connection is not reused").isEqualTo(2);
    }

    @Test
    void waitingForAPooledConnectionCountsAgainstTheTimeout() {
        client.close();
        client = new OutboundHttpClient(new OutboundSettings(1, 1, 1, Duration.ofSeconds(60)), timer);
        origin.answer("/held", Reply.ok("late").holdUntil(release));
        CompletableFuture<OutboundResponse> first = send(OutboundRequest.get(origin.url() + "/held"));
        origin.awaitRequests(1, WAIT);

        CompletableFuture<OutboundResponse> second = send(OutboundRequest.get(origin.url() + "/queued").timeout(Duration.ofMillis(300)));
        assertThat(failureOf(second)).isInstanceOf(OutboundTimeoutException.class);
        assertThat(origin.requestCount("/queued")).isZero();
        release.countDown();
        assertThat(first.join().bodyText()).isEqualTo("late");
    }

    @Test
    void cancellingAbandonsTheRequestAndFreesItsPlaceInThePool() {
        client.close();
        client = new OutboundHttpClient(new OutboundSettings(1, 1, 1, Duration.ofSeconds(60)), timer);
        origin.answer("/held", Reply.ok("late").holdUntil(release));
        CompletableFuture<OutboundResponse> held = send(OutboundRequest.get(origin.url() + "/held"));
        origin.awaitRequests(1, WAIT);

        assertThat(held.cancel(true)).isTrue();
        assertThat(failureOf(held)).isInstanceOf(CancellationException.class);
        OutboundResponse next = send(OutboundRequest.get(origin.url() + "/next").timeout(WAIT)).join();
        assertThat(next.status()).isEqualTo(200);
        assertThat(origin.connectionsAccepted()).as("the cancelled connection was closed, not reused").isEqualTo(2);
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void aBodyOverTheCapFailsAndItsConnectionIsNotReused() {
        origin.answer("/known", Reply.ok("x".repeat(2000)));
        origin.answer("/chunked", Reply.ok("y".repeat(2000)).chunked());
        origin.answer("/fits", Reply.ok("z".repeat(1000)));

        Throwable known = failureOf(send(OutboundRequest.get(origin.url() + "/known").maxResponseBody(1000)));
        assertThat(known).isInstanceOf(ResponseTooLargeException.class).hasMessageContaining("longer than 1000 bytes");
        assertThat(((ResponseTooLargeException) known).limit()).isEqualTo(1000);
        assertThat(failureOf(send(OutboundRequest.get(origin.url() + "/chunked").maxResponseBody(1000))))
                .isInstanceOf(ResponseTooLargeException.class);
        assertThat(send(OutboundRequest.get(origin.url() + "/fits").maxResponseBody(1000)).join().bodyLength()).isEqualTo(1000);
        assertThat(origin.connectionsAccepted()).as("each refused body cost its connection").isEqualTo(3);
    }

    @Test
    void theDefaultCapIsOneMebibyte() {
        origin.answer("/big", Reply.ok("b".repeat(1024 * 1024 + 1)));
        origin.answer("/limit", Reply.ok("b".repeat(1024 * 1024)));
        assertThat(failureOf(send(OutboundRequest.get(origin.url() + "/big")))).isInstanceOf(ResponseTooLargeException.class);
        assertThat(send(OutboundRequest.get(origin.url() + "/limit")).join().bodyLength()).isEqualTo(1024 * 1024);
    }

    @Test
    void aRefusedConnectionIsAConnectFailure() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Throwable failure = failureOf(send(OutboundRequest.get("http://127.0.0.1:" + port + "/x").timeout(WAIT)));
        assertThat(failure).isInstanceOf(OutboundConnectException.class).hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void anOriginThatClosesWithoutAnsweringIsAnOutboundFailure() {
        origin.answer("/drop", Reply.drop());
        Throwable failure = failureOf(send(OutboundRequest.get(origin.url() + "/drop")));
        assertThat(failure).isInstanceOf(OutboundException.class)
                .isNotInstanceOfAny(OutboundTimeoutException.class, OutboundConnectException.class, ResponseTooLargeException.class);
    }

    @Test
    void closingFailsTheCallsInFlightAndRefusesNewOnes() {
        origin.answer("/held", Reply.ok("late").holdUntil(release));
        CompletableFuture<OutboundResponse> held = send(OutboundRequest.get(origin.url() + "/held"));
        origin.awaitRequests(1, WAIT);

        client.close();
        assertThat(failureOf(held)).isInstanceOf(OutboundException.class).hasMessageContaining("closed");
        assertThat(failureOf(send(OutboundRequest.get(origin.url() + "/late")))).isInstanceOf(OutboundException.class)
                .hasMessageContaining("closed");
        assertThat(client.inFlight()).isZero();
        await().atMost(WAIT).until(() -> origin.requestCount("/late") == 0);
    }
}
