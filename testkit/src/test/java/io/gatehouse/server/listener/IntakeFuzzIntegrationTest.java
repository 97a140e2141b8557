package io.gatehouse.server.listener;

import io.gatehouse.testkit.EmbeddedGatehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mutation fuzzing of the request intake: thousands of valid requests with bytes inserted,
 * replaced, deleted, lines duplicated or dropped and lengths changed, each sent on its own
 * connection to one running proxy in front of a {@link StrictOrigin}. For every case:
 *
 * <ul>
 *   <li>the proxy answers only with its own refusals (400, 405, 408, 413, 414, 417, 431, 501,
 *       505) or the origin's 200: never 500 or any other status of its own;</li>
 *   <li>it closes the connection within a bounded time once the client has sent everything
 *       (no hang), and what it sent parses as whole responses;</li>
 *   <li>every origin response the client gets belongs to exactly one well-formed, complete
 *       request at the origin (strict RFC 9112 syntax, origin-form target, no control characters,
 *       one Host, unambiguous framing, the body its framing announced, no bytes beyond it),
 *       whose method the client sent, and no two responses share one;</li>
 *   <li>nothing malformed ever reaches the origin, in any case;</li>
 *   <li>the proxy still serves a normal request afterwards (checked every 250 cases and at the end).</li>
 * </ul>
 *
 * A second test leaves heads unfinished on open connections: each is answered (400 or 408) and
 * closed within the head deadline plus a generous margin.
 *
 * <p>The run is seeded: the seed is printed, and a failure names its case, its bytes (also as a
 * Java literal, for a regression test) and how to rerun it alone. {@code -Dgatehouse.fuzz.seed=S}
 * repeats a run, {@code -Dgatehouse.fuzz.cases=N} makes it longer (2,000 cases by default, a few
 * seconds), {@code -Dgatehouse.fuzz.case=I} runs one case, {@code -Dgatehouse.fuzz.parallel=P}
 * sets how many connections run cases at once (16). Cases run concurrently because a few of them
 * wait for the proxy's lingering second over an unread body; no check depends on timing but the
 * generous bounds above.
 *
 * <p>The origin is a {@link StrictOrigin} rather than the kit's {@code TestOrigin}: that one is
 * lenient by design and drops what it cannot parse, which is the evidence wanted here.
 */
class IntakeFuzzIntegrationTest {

    private static final Duration HEAD_DEADLINE = Duration.ofMillis(500);
    /** Generous on a loaded machine: every case normally ends within milliseconds. */
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<Integer> PROXY_STATUSES = Set.of(400, 405, 408, 413, 414, 417, 431, 501, 505);
    private static final long SEED = Long.getLong("gatehouse.fuzz.seed", new SplittableRandom().nextLong());
    private static final int CASES = Integer.getInteger("gatehouse.fuzz.cases", 2000);
    private static final Integer ONLY = Integer.getInteger("gatehouse.fuzz.case");
    /** Cases in flight at once: most end within a millisecond, a few linger a second (an unread body). */
    private static final int PARALLEL = Integer.getInteger("gatehouse.fuzz.parallel", 16);

    private static StrictOrigin origin;
    private static EmbeddedGatehouse proxy;

    @BeforeAll
    static void start() {
        origin = StrictOrigin.start();
        proxy = EmbeddedGatehouse.builder().upstream(origin.url()).config("server:\n"
                + "  timeouts: { request-head: " + HEAD_DEADLINE.toMillis() + "ms, connect: 5s, response: 10s }\n"
                + "  limits: { request-line: 2KiB, headers: 8KiB, body: 4KiB }\n").start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void mutatedRequestsAreRefusedOrReachTheOriginWellFormed() throws InterruptedException {
        FuzzCases cases = new FuzzCases(SEED);
        int first = ONLY != null ? ONLY : 0;
        int last = ONLY != null ? ONLY : CASES - 1;
        System.out.println("IntakeFuzzIntegrationTest: seed " + SEED + ", " + (ONLY != null ? "case " + ONLY : CASES + " cases")
                + ", " + PARALLEL + " at a time (-Dgatehouse.fuzz.seed, -Dgatehouse.fuzz.cases, -Dgatehouse.fuzz.case, "
                + "-Dgatehouse.fuzz.parallel)");
        Map<String, Integer> outcomes = new ConcurrentSkipListMap<>();
        Set<Integer> answeredRecords = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(PARALLEL, task -> {
            Thread thread = new Thread(task, "fuzz-client");
            thread.setDaemon(true);
            return thread;
        });
        CompletionService<String> finished = new ExecutorCompletionService<>(clients);
        int running = 0;
        try {
            for (int index = first; index <= last; index++) {
                if (running == PARALLEL) {
                    outcomes.merge(next(finished), 1, Integer::sum);
                    running--;
                }
                FuzzCases.Case fuzzCase = cases.make(index);
                origin.currentCase("case " + index);
                finished.submit(() -> check(fuzzCase, exchange(fuzzCase.bytes()), answeredRecords));
                running++;
                if (index % 250 == 249) {
                    assertStillServes("while cases up to " + index + " run");
                }
            }
            for (; running > 0; running--) {
                outcomes.merge(next(finished), 1, Integer::sum);
            }
        } finally {
            clients.shutdownNow();
            clients.awaitTermination(CASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        origin.currentCase("after the cases");
        assertStillServes("after the cases");
        assertThat(origin.violations()).as("malformed messages that reached the origin (seed %d)", SEED).isEmpty();
        System.out.printf("IntakeFuzzIntegrationTest: %d cases in %d ms; at the origin %d requests, %d answered to the fuzz"
                + " clients (the others: health checks, requests whose client went away); outcomes %s%n", last - first + 1,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), origin.records().size(), answeredRecords.size(), outcomes);
    }

    /** @return the verdict of the next case to finish; its failure, if it failed */
    private static String next(CompletionService<String> finished) throws InterruptedException {
        Future<String> done = finished.poll(2 * CASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(done).as("no case finished within %d s", 2 * CASE_TIMEOUT.toSeconds()).isNotNull();
        try {
            return done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw new AssertionError(e.getCause());
        }
    }

    @Test
    void unfinishedHeadsAreAnsweredWithinTheHeadDeadline() throws IOException {
        FuzzCases cases = new FuzzCases(SEED);
        List<Socket> sockets = new ArrayList<>();
        List<FuzzCases.Case> sent = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        try {
            for (int i = 0; i < 24; i++) {
                FuzzCases.Case unfinished = cases.unfinished(i);
                Socket socket = connect();
                sockets.add(socket);
                sent.add(unfinished);
                sentAt.add(System.nanoTime());
                socket.getOutputStream().write(unfinished.bytes().getBytes(StandardCharsets.ISO_8859_1));
            }
            Duration bound = HEAD_DEADLINE.plus(Duration.ofMillis(4500));
            for (int i = 0; i < sockets.size(); i++) {
                long left = bound.toNanos() - (System.nanoTime() - sentAt.get(i));
                Socket socket = sockets.get(i);
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                Received received = readUntilClose(socket);
                String context = sent.get(i).describe(SEED) + "\nreceived:\n" + Printable.of(received.text());
                assertThat(received.timedOut()).as("connection still open %d ms after an unfinished head: %s", bound.toMillis(), context)
                        .isFalse();
                assertThat(received.text()).as(context).matches("(?s)HTTP/1\\.1 (400|408|414|431) .*");
                assertThat(ProxyResponses.parse(received.text(), n -> false).responses()).as(context).hasSize(1);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        assertThat(origin.records()).noneMatch(record -> record.head().contains("/fuzz/t"));
        assertStillServes("after unfinished heads");
    }

    // ------------------------------------------------------------------ one case

    private record Exchange(Received received, boolean writeFailed) {
    }

    private record Received(String text, boolean timedOut, boolean reset) {
    }

    private static Exchange exchange(String bytes) {
        try (Socket socket = connect()) {
            boolean writeFailed = false;
            try {
                socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
                socket.shutdownOutput();
            } catch (IOException e) {
                writeFailed = true; // the proxy refused and closed before taking everything
            }
            return new Exchange(readUntilClose(socket), writeFailed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a short name of the outcome, for the statistics */
    private static String check(FuzzCases.Case fuzzCase, Exchange exchange, Set<Integer> answeredRecords) {
        Received received = exchange.received();
        String context = fuzzCase.describe(SEED) + "\nreceived" + (received.reset() ? " (then reset)" : "") + ":\n"
                + Printable.of(received.text());
        assertThat(received.timedOut()).as("no close within %d s after the client sent everything: %s", CASE_TIMEOUT.toSeconds(),
                context).isFalse();
        ProxyResponses parsed = ProxyResponses.parse(received.text(), number -> recordOf(number, context).method().equals("HEAD"));
        if (!received.reset() && !exchange.writeFailed()) {
            assertThat(parsed.problem()).as("what the proxy sent: %s", context).isNull();
        }
        StringBuilder verdict = new StringBuilder();
        boolean closed = false;
        for (ProxyResponses.Response response : parsed.responses()) {
            verdict.append(verdict.length() > 0 ? "+" : "").append(response.status());
            assertThat(closed).as("a response after one with Connection: close: %s", context).isFalse();
            if (response.status() < 200) {
                continue;
            }
            closed = response.closes();
            if (response.record() < 0) {
                assertThat(PROXY_STATUSES).as("a status of the proxy's own: %s", context).contains(response.status());
                assertThat(response.text().toLowerCase(Locale.ROOT))
                        .as("a refusal never quotes the client's bytes: %s", context).doesNotContain("fuzz");
                continue;
            }
            OriginRecord record = recordOf(response.record(), context);
            String both = context + "\nat the origin: " + record;
            assertThat(response.status()).as(both).isEqualTo(200);
            assertThat(answeredRecords.add(record.number())).as("one origin request answered twice: %s", both).isTrue();
            assertThat(record.violation()).as(both).isNull();
            assertThat(record.complete()).as(both).isTrue();
            assertThat(fuzzCase.bytes()).as("the method reached the origin as sent: %s", both).contains(record.method() + " ");
        }
        if (parsed.responses().isEmpty()) {
            verdict.append(received.reset() ? "reset" : "closed");
        }
        return verdict.toString();
    }

    private static OriginRecord recordOf(int number, String context) {
        // recorded before the origin answers; the wait only covers memory visibility across threads
        await().atMost(5, TimeUnit.SECONDS).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertThat(origin.record(number)).as("record %d: %s", number, context).isNotNull());
        return origin.record(number);
    }

    private static void assertStillServes(String when) {
        Exchange exchange = exchange("GET /health HTTP/1.1\r\nHost: fuzz.test\r\nConnection: close\r\n\r\n");
        assertThat(exchange.received().text()).as("a normal request %s (seed %d)", when, SEED)
                .startsWith("HTTP/1.1 200 ").contains("X-Record: ");
    }

    // ------------------------------------------------------------------ sockets

    private static Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout((int) CASE_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static Received readUntilClose(Socket socket) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
            return new Received(received.toString(StandardCharsets.ISO_8859_1), false, false);
        } catch (SocketTimeoutException e) {
            return new Received(received.toString(StandardCharsets.ISO_8859_1), true, false);
        } catch (SocketException e) {
            return new Received(received.toString(StandardCharsets.ISO_8859_1), false, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
