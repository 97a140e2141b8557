package io.gatehouse.server.upstream;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.AsyncServerExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.ResponseChannel;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.H2Error;
import org.apache.hc.core5.http2.H2StreamResetException;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2RequesterBootstrap;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2ServerBootstrap;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ListenerEndpoint;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTP/2 ({@code h2c}) origin: trailers both ways (an HTTP/2 client's request trailers reach
 * the origin and the origin's response trailers reach the client, and the same for an HTTP/1.1
 * client with chunked bodies; {@code TE: trailers} is said again to the origin), and the silence
 * timeout per stream: a stream the origin never answers gets 504 while the other streams of the
 * same connection go on; a stream the origin refused unprocessed ({@code REFUSED_STREAM}) is sent
 * again; streams beyond the origin's concurrency limit go on another connection. The origin is HttpCore's own HTTP/2 server, echoing what it received.
 */
@org.junit.jupiter.api.Timeout(value = 2, unit = TimeUnit.MINUTES)
class Http2UpstreamIntegrationTest {

    @TempDir
    static Path dir;
    private static HttpAsyncServer origin;
    private static GatehouseServer proxy;
    private static HttpAsyncRequester client;
    private static final java.util.concurrent.atomic.AtomicInteger REFUSED = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.Semaphore HELD_ARRIVED = new java.util.concurrent.Semaphore(0);
    private static final java.util.Queue<TrailerEcho> HELD = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        origin = H2ServerBootstrap.bootstrap().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_2).setCanonicalHostName("127.0.0.1")
                .register("*", TrailerEcho::new).create();
        origin.start();
        ListenerEndpoint bound = origin.listen(new InetSocketAddress("127.0.0.1", 0), URIScheme.HTTP).get(10, TimeUnit.SECONDS);
        int originPort = ((InetSocketAddress) bound.getAddress()).getPort();
        proxy = GatehouseServer.start(new ConfigLoader(dir).parse("""
                server:
                  upstream: "h2c://127.0.0.1:%d"
                  timeouts: { response: 1s }
                  listen: [ { address: "127.0.0.1:0", http2: true } ]
                plugins: { directory: plugins }
                """.formatted(originPort), "trailers.yaml"), List.of());
        client = H2RequesterBootstrap.bootstrap().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_2).create();
        client.start();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close(CloseMode.IMMEDIATE);
        }
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(2));
        }
        if (origin != null) {
            origin.close(CloseMode.IMMEDIATE);
        }
    }

    private static int proxyPort() {
        return proxy.addresses().get(0).getPort();
    }

    @Test
    void anHttp2ClientsTrailersReachTheOriginAndTheOriginsComeBack() throws Exception {
        BasicHttpRequest request = new BasicHttpRequest("POST", new HttpHost("http", "127.0.0.1", proxyPort()), "/echo");
        request.addHeader("te", "trailers");
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        client.execute(new BasicRequestProducer(request, new TrailingBody("payload", new BasicHeader("x-checksum", "c0ffee"))),
                new AnswerConsumer(answer), Timeout.ofSeconds(30), null, null);

        Answer received = answer.get(30, TimeUnit.SECONDS);
        assertThat(received.status()).isEqualTo(200);
        assertThat(received.body()).isEqualTo("payload te=trailers");
        assertThat(received.trailers()).containsEntry("x-echo", "x-checksum=c0ffee").containsEntry("x-status", "0");
    }

    @Test
    void anHttp11ClientsChunkedTrailersPassBothWays() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxyPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTE: trailers\r\nConnection: TE, close\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 5a5a\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readAll(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            assertThat(response).contains("hello te=trailers");
            assertThat(response.toLowerCase()).contains("\r\n0\r\n").contains("x-echo: x-checksum=5a5a\r\n")
                    .contains("x-status: 0\r\n");
        }
    }

    @Test
    void aStreamTheOriginLeavesSilentGets504AndTheConnectionServesOthers() throws Exception {
        CompletableFuture<Answer> silent = new CompletableFuture<>();
        BasicHttpRequest quiet = new BasicHttpRequest("GET", new HttpHost("http", "127.0.0.1", proxyPort()), "/silent");
        long start = System.nanoTime();
        client.execute(new BasicRequestProducer(quiet, null), new AnswerConsumer(silent), Timeout.ofSeconds(30), null, null);
        for (int i = 0; i < 5; i++) { // meanwhile, on the proxy's same connection to the origin
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            BasicHttpRequest request = new BasicHttpRequest("POST", new HttpHost("http", "127.0.0.1", proxyPort()), "/echo");
            client.execute(new BasicRequestProducer(request, new TrailingBody("n" + i)), new AnswerConsumer(answer),
                    Timeout.ofSeconds(30), null, null);
            assertThat(answer.get(30, TimeUnit.SECONDS).body()).isEqualTo("n" + i + " te=none");
        }

        Answer timedOut = silent.get(30, TimeUnit.SECONDS);
        assertThat(timedOut.status()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(20));
    }

    @Test
    void aStreamTheOriginRefusedUnprocessedIsSentAgain() throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        BasicHttpRequest request = new BasicHttpRequest("GET", new HttpHost("http", "127.0.0.1", proxyPort()), "/refused-once");
        client.execute(new BasicRequestProducer(request, null), new AnswerConsumer(answer), Timeout.ofSeconds(30), null, null);

        assertThat(answer.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(REFUSED.get()).as("refused once, then served").isEqualTo(2);
    }

    @Test
    void streamsBeyondTheOriginsConcurrencyLimitGoOnAnotherConnection() throws Exception {
        HttpAsyncServer limited = H2ServerBootstrap.bootstrap().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_2)
                .setCanonicalHostName("127.0.0.1").setH2Config(H2Config.custom().setMaxConcurrentStreams(2).build())
                .register("*", TrailerEcho::new).create();
        limited.start();
        GatehouseServer patient = null;
        try {
            ListenerEndpoint bound = limited.listen(new InetSocketAddress("127.0.0.1", 0), URIScheme.HTTP).get(10, TimeUnit.SECONDS);
            patient = GatehouseServer.start(new ConfigLoader(dir).parse("""
                    server:
                      upstream: "h2c://127.0.0.1:%d"
                      io-threads: 1
                      listen: [ { address: "127.0.0.1:0", http2: true } ]
                    plugins: { directory: plugins }
                    """.formatted(((InetSocketAddress) bound.getAddress()).getPort()), "limited.yaml"), List.of());
            int port = patient.addresses().get(0).getPort();
            CompletableFuture<Answer> first = new CompletableFuture<>();
            client.execute(new BasicRequestProducer(new BasicHttpRequest("POST", new HttpHost("http", "127.0.0.1", port), "/echo"),
                    new TrailingBody("hello")), new AnswerConsumer(first), Timeout.ofSeconds(30), null, null);
            assertThat(first.get(30, TimeUnit.SECONDS).status()).as("the connection and its SETTINGS are known").isEqualTo(200);

            List<CompletableFuture<Answer>> held = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                CompletableFuture<Answer> answer = new CompletableFuture<>();
                held.add(answer);
                client.execute(new BasicRequestProducer(new BasicHttpRequest("GET", new HttpHost("http", "127.0.0.1", port), "/hold"),
                        null), new AnswerConsumer(answer), Timeout.ofSeconds(30), null, null);
            }
            assertThat(HELD_ARRIVED.tryAcquire(5, 20, TimeUnit.SECONDS))
                    .as("all five reached the origin at once, though it allows two streams per connection").isTrue();
            TrailerEcho.releaseHeld();
            for (CompletableFuture<Answer> answer : held) {
                assertThat(answer.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            TrailerEcho.releaseHeld();
            if (patient != null) {
                patient.stop(Duration.ofSeconds(2));
            }
            limited.close(CloseMode.IMMEDIATE);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all); // Connection: close: the proxy closes after the response
        return all.toString(StandardCharsets.US_ASCII);
    }

    /**
     * A request body followed by trailers (HttpCore 5.4's {@code AsyncEntityProducers.create(...,
     * trailers)} drops them: its producer ends the stream without them).
     */
    private static final class TrailingBody implements AsyncEntityProducer {
        private final ByteBuffer content;
        private final List<Header> trailers;

        TrailingBody(String text, Header... trailers) {
            this.content = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            this.trailers = List.of(trailers);
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }

        @Override
        public void failed(Exception cause) {
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public String getContentType() {
            return ContentType.TEXT_PLAIN.toString();
        }

        @Override
        public String getContentEncoding() {
            return null;
        }

        @Override
        public boolean isChunked() {
            return true;
        }

        @Override
        public java.util.Set<String> getTrailerNames() {
            return trailers.stream().map(Header::getName).collect(Collectors.toSet());
        }

        @Override
        public int available() {
            return content.remaining() + 1;
        }

        @Override
        public void produce(DataStreamChannel channel) throws IOException {
            channel.write(content);
            if (!content.hasRemaining()) {
                channel.endStream(trailers);
            }
        }

        @Override
        public void releaseResources() {
        }
    }

    /** A response: status, body as text, trailers by lower-case name. */
    private record Answer(int status, String body, java.util.Map<String, String> trailers) {
    }

    /** Collects a response with its trailers. */
    private static final class AnswerConsumer implements AsyncResponseConsumer<Answer> {
        private final CompletableFuture<Answer> result;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status;

        AnswerConsumer(CompletableFuture<Answer> result) {
            this.result = result;
        }

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context, FutureCallback<Answer> callback) {
            status = response.getCode();
            if (entity == null) {
                result.complete(new Answer(status, "", java.util.Map.of()));
            }
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext context) {
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            capacityChannel.update(Integer.MAX_VALUE);
        }

        @Override
        public void consume(ByteBuffer src) {
            while (src.hasRemaining()) {
                body.write(src.get());
            }
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) {
            result.complete(new Answer(status, body.toString(StandardCharsets.UTF_8), trailers == null ? java.util.Map.of()
                    : trailers.stream().collect(Collectors.toMap(h -> h.getName().toLowerCase(), Header::getValue))));
        }

        @Override
        public void failed(Exception cause) {
            result.completeExceptionally(cause);
        }

        @Override
        public void releaseResources() {
        }
    }

    /**
     * The origin: answers the request body followed by {@code te=} what {@code TE} said, and
     * trailers naming the request's trailers ({@code x-echo}) and a status ({@code x-status}).
     */
    private static final class TrailerEcho implements AsyncServerExchangeHandler {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private ResponseChannel channel;
        private HttpContext context;
        private String te;
        private ByteBuffer answer;
        private List<Header> answerTrailers;

        @Override
        public void handleRequest(HttpRequest request, EntityDetails entity, ResponseChannel responseChannel, HttpContext httpContext)
                throws HttpException, IOException {
            channel = responseChannel;
            context = httpContext;
            te = request.getFirstHeader("te") == null ? "none" : request.getFirstHeader("te").getValue();
            if (request.getPath().equals("/silent")) {
                return; // never answers
            }
            if (request.getPath().equals("/hold")) { // answered by releaseHeld()
                HELD.add(this);
                HELD_ARRIVED.release();
                return;
            }
            if (request.getPath().equals("/refused-once") && REFUSED.getAndIncrement() == 0) {
                throw new H2StreamResetException(H2Error.REFUSED_STREAM, "not now");
            }
            if (entity == null) {
                respond(List.of());
            }
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            capacityChannel.update(Integer.MAX_VALUE);
        }

        @Override
        public void consume(ByteBuffer src) {
            while (src.hasRemaining()) {
                body.write(src.get());
            }
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
            respond(trailers == null ? List.of() : trailers);
        }

        static void releaseHeld() throws HttpException, IOException {
            for (TrailerEcho held = HELD.poll(); held != null; held = HELD.poll()) {
                held.respond(List.of());
            }
        }

        private void respond(List<? extends Header> requestTrailers) throws HttpException, IOException {
            answer = ByteBuffer.wrap((body.toString(StandardCharsets.UTF_8) + " te=" + te).getBytes(StandardCharsets.UTF_8));
            answerTrailers = List.of(new BasicHeader("x-echo", requestTrailers.stream()
                    .map(h -> h.getName().toLowerCase() + "=" + h.getValue()).collect(Collectors.joining(","))),
                    new BasicHeader("x-status", "0"));
            channel.sendResponse(new BasicHttpResponse(200), new BasicEntityDetails(-1, ContentType.TEXT_PLAIN), context);
        }

        @Override
        public int available() {
            return answer == null ? 0 : answer.remaining();
        }

        @Override
        public void produce(DataStreamChannel data) throws IOException {
            if (answer == null) {
                return;
            }
            data.write(answer);
            if (!answer.hasRemaining()) {
                data.endStream(answerTrailers);
                answer = null;
            }
        }

        @Override
        public void failed(Exception cause) {
        }

        @Override
        public void releaseResources() {
        }
    }
}
