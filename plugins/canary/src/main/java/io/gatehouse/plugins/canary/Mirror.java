package io.gatehouse.plugins.canary;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.RequestHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shadow traffic: copies a share of a split's requests, fire-and-forget, to a mirror cluster (its
 * endpoints in turn), on
 * the JDK HTTP client's own threads. The client's exchange never waits for it: a mirror that is
 * down or slow changes nothing for the client. A request body is collected as it streams past
 * (up to {@code max-body}; longer ones are not mirrored) and the copy leaves once it is complete.
 * Mirrored requests carry {@code X-Gatehouse-Mirror: <split>}. The client's credentials
 * ({@code Authorization}, {@code Cookie}) stay behind unless {@code forward-credentials} is set:
 * a mirror is often a test environment. {@code Proxy-Authorization}, hop-by-hop fields and the
 * fields named in {@code Connection} never go.
 */
final class Mirror implements AutoCloseable {

    static final String MARKER = "X-Gatehouse-Mirror";
    private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);
    /** Fields that belong to one connection, or that the JDK client sets itself and refuses from callers. */
    private static final Set<String> NOT_COPIED = Set.of("host", "connection", "content-length", "transfer-encoding", "expect",
            "upgrade", "keep-alive", "te", "trailer", "proxy-connection", "proxy-authorization", "proxy-authenticate",
            "http2-settings", "date", "via", "warning", "from");
    /** The client's credentials: copied only with {@code forward-credentials: true}. */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie");

    // bounded: the client's completions need a thread only briefly; requests wait on the wire, not on threads
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "gatehouse-mirror");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads).build();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();

    /** Mirrors the exchange's request if it falls in the sampled share. Call from {@code onRequest}. */
    void maybeMirror(Exchange exchange, Split split, Split.Mirror mirror) {
        if (ThreadLocalRandom.current().nextDouble(100) >= mirror.percent()) {
            return;
        }
        RequestHead request = exchange.request();
        HttpFields headers = request.headers();
        OptionalLong length = request.bodyLength();
        boolean hasBody = length.isEmpty() || length.getAsLong() > 0;
        String endpoint = mirror.endpoints().get(Math.floorMod(next.getAndIncrement(), mirror.endpoints().size()));
        HttpRequest.Builder copy = HttpRequest.newBuilder(URI.create(endpoint + request.target()))
                .timeout(mirror.timeout());
        for (Map.Entry<String, String> header : copiedHeaders(headers, mirror.forwardCredentials())) {
            try {
                copy.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                LOG.debug("Mirror: header {} not copied: {}", header.getKey(), e.getMessage());
            }
        }
        copy.setHeader(MARKER, split.name());
        String method = request.method();
        if (!hasBody) {
            send(copy.method(method, HttpRequest.BodyPublishers.noBody()).build());
            return;
        }
        if (length.isPresent() && length.getAsLong() > mirror.maxBody()) {
            skipped.incrementAndGet();
            return;
        }
        exchange.observeRequestBody(BodyObserver.collecting(mirror.maxBody(), body -> {
            if (body.isPresent()) {
                send(copy.method(method, HttpRequest.BodyPublishers.ofByteArray(body.get())).build());
            } else {
                skipped.incrementAndGet(); // longer than max-body, or broke off
            }
        }));
    }

    /**
     * The request fields the mirror gets: not the hop-by-hop ones, nor those named in
     * {@code Connection} (RFC 9110 §7.6.1), nor fields the JDK client sets itself, nor
     * {@code Proxy-Authorization}; {@code Authorization} and {@code Cookie} only when
     * {@code forwardCredentials}.
     *
     * @param headers the client's request fields
     * @param forwardCredentials whether the client's credentials go too
     * @return the fields to copy, in order
     */
    static List<Map.Entry<String, String>> copiedHeaders(HttpFields headers, boolean forwardCredentials) {
        Set<String> listed = new HashSet<>();
        for (String value : headers.all("Connection")) {
            for (String option : value.split(",")) {
                listed.add(option.trim().toLowerCase(Locale.ROOT));
            }
        }
        List<Map.Entry<String, String>> copied = new ArrayList<>(headers.size());
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_COPIED.contains(lower) && !listed.contains(lower) && (forwardCredentials || !CREDENTIALS.contains(lower))) {
                copied.add(Map.entry(name, value));
            }
        });
        return copied;
    }

    private void send(HttpRequest request) {
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null) {
                failed.incrementAndGet();
                LOG.debug("Mirror request {} failed: {}", request.uri(), failure.toString());
            } else {
                sent.incrementAndGet();
            }
        });
    }

    /** @return a line for {@code /status} */
    String status() {
        return "mirror: answered " + sent.get() + ", failed " + failed.get() + ", skipped (body over max-body or broken off) " + skipped.get() + "\n";
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
