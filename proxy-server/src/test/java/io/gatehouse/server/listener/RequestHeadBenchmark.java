package io.gatehouse.server.listener;

import io.gatehouse.server.exchange.ProxyHeaders;
import io.gatehouse.server.config.Forwarding;
import io.gatehouse.server.config.Limits;
import org.apache.hc.core5.http.HttpRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The per-request work on the client→proxy head: strict parsing of a typical browser-like
 * request head, then hop-by-hop removal and forwarding headers. See docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestHeadBenchmark {

    private static final byte[] HEAD = ("GET /api/v1/items?page=2&sort=name HTTP/1.1\r\n"
            + "Host: shop.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Connection: keep-alive\r\n"
            + "Cookie: session=0123456789abcdef0123456789abcdef; theme=dark\r\n"
            + "Cache-Control: no-cache\r\n"
            + "X-Request-Id: 5f1d7c2e-8a4b-4c3d-9e2f-1a2b3c4d5e6f\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private final StrictRequestParser parser = new StrictRequestParser(new Limits(8192, 32768, 1 << 20, 1000), Long.MAX_VALUE);
    private final Forwarding forwarding = new Forwarding(List.of(), true, "gatehouse");
    private final InetSocketAddress client = new InetSocketAddress("192.0.2.10", 50000);

    @Benchmark
    public HttpRequest parseAndPrepare() throws Exception {
        HttpRequest request = parser.parse(new ByteInput(HEAD), false);
        parser.reset();
        ProxyHeaders.prepareRequest(request, client, "http", forwarding);
        return request;
    }
}
