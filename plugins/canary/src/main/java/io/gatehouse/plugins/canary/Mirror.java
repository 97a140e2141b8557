package io.gatehouse.plugins.canary;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.HttpFields;
import io.gatehouse.api.RequestHead;
import io.gatehouse.api.outbound.OutboundClient;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.ResponseTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shadow traffic: copies a share of a split's requests, fire-and-forget, to a mirror cluster (its
 * endpoints in turn), through the server's outbound client. The client's exchange never waits for
 * it: a mirror that is down or slow changes nothing for the client.
 *
 * <p>Bounded: each split's mirror has at most {@code max-in-flight} copies under way, from the
 * moment a copy is decided (its body is then collected) until the mirror answered, failed or timed
 * out. A request that finds the cap reached is not copied (shed, and counted), so a silent mirror
 * costs at most that many bodies of up to {@code max-body} and that many connections. A request
 * body is collected as it streams past (up to {@code max-body}; longer ones are not mirrored) and
 * the copy leaves once it is complete. A target the client could send but that is no URL (such as
 * {@code /a?q=|}) is not mirrored either, and counted; the client's request goes on unchanged.
 *
 * <p>Mirrored requests carry {@code X-Gatehouse-Mirror: <split>}. The client's credentials
 * ({@code Authorization}, {@code Cookie}) stay behind unless {@code forward-credentials} is set:
 * a mirror is often a test environment. {@code Proxy-Authorization}, hop-by-hop fields and the
 * fields named in {@code Connection} never go.
 */
final class Mirror {

    static final String MARKER = "X-Gatehouse-Mirror";
    private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);
    /** The mirror's answer is not used: at most this much of it is read before its connection is dropped. */
    private static final long ANSWER_READ = 64 * 1024;
    /** Fields that belong to one connection, that the outbound client sets itself, or that a copy does not carry. */
    private static final Set<String> NOT_COPIED = Set.of("host", "connection", "content-length", "transfer-encoding", "expect",
            "upgrade", "keep-alive", "te", "trailer", "proxy-connection", "proxy-authorization", "proxy-authenticate",
            "http2-settings", "date", "via", "warning", "from", MARKER.toLowerCase(Locale.ROOT));
    /** The client's credentials: copied only with {@code forward-credentials: true}. */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie");

    private final OutboundClient client;
    /** Copies under way, per split name (a reloaded split keeps counting its copies still under way). */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong skippedBody = new AtomicLong();
    private final AtomicLong skippedTarget = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();

    /** @param client the server's outbound client, which sends the copies */
    Mirror(OutboundClient client) {
        this.client = client;
    }

    /** Mirrors the exchange's request if it falls in the sampled share and the cap allows. Call from {@code onRequest}. */
    void maybeMirror(Exchange exchange, Split split, Split.Mirror mirror) {
        if (ThreadLocalRandom.current().nextDouble(100) >= mirror.percent()) {
            return;
        }
        RequestHead request = exchange.request();
        OptionalLong length = request.bodyLength();
        boolean hasBody = length.isEmpty() || length.getAsLong() > 0;
        if (length.isPresent() && length.getAsLong() > mirror.maxBody()) {
            skippedBody.incrementAndGet();
            return;
        }
        String endpoint = mirror.endpoints().get(Math.floorMod(next.getAndIncrement(), mirror.endpoints().size()));
        OutboundRequest.Builder copy;
        try {
            copy = OutboundRequest.request(request.method(), endpoint + request.target())
                    .timeout(mirror.timeout()).maxResponseBody(ANSWER_READ);
        } catch (IllegalArgumentException e) {
            skippedTarget.incrementAndGet(); // a valid HTTP target that is no URL, such as /a?q=|
            LOG.debug("Mirror: {} {} not copied: {}", request.method(), request.target(), e.getMessage());
            return;
        }
        for (Map.Entry<String, String> header : copiedHeaders(request.headers(), mirror.forwardCredentials())) {
            try {
                copy.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                LOG.debug("Mirror: header {} not copied: {}", header.getKey(), e.getMessage());
            }
        }
        copy.header(MARKER, split.name());
        AtomicInteger lane = inFlight.computeIfAbsent(split.name(), name -> new AtomicInteger());
        if (!enter(lane, mirror.maxInFlight())) {
            shed.incrementAndGet();
            return;
        }
        if (!hasBody) {
            send(copy.build(), lane);
            return;
        }
        try {
            exchange.observeRequestBody(BodyObserver.collecting(mirror.maxBody(), body -> {
                if (body.isPresent()) {
                    send(copy.body(body.get()).build(), lane);
                } else {
                    lane.decrementAndGet();
                    skippedBody.incrementAndGet(); // longer than max-body, or broke off
                }
            }));
        } catch (RuntimeException e) {
            lane.decrementAndGet();
            throw e;
        }
    }

    private static boolean enter(AtomicInteger lane, int max) {
        while (true) {
            int now = lane.get();
            if (now >= max) {
                return false;
            }
            if (lane.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /**
     * The request fields the mirror gets: not the hop-by-hop ones, nor those named in
     * {@code Connection} (RFC 9110 §7.6.1), nor fields the outbound client sets itself, nor
     * {@code Proxy-Authorization}, nor a marker the client sent; {@code Authorization} and
     * {@code Cookie} only when {@code forwardCredentials}.
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

    private void send(OutboundRequest request, AtomicInteger lane) {
        client.send(request).whenComplete((response, failure) -> {
            lane.decrementAndGet();
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause == null || cause instanceof ResponseTooLargeException) {
                answered.incrementAndGet(); // an answer too long to read is still an answer
            } else {
                failed.incrementAndGet();
                LOG.debug("Mirror request {} failed: {}", request, cause.toString());
            }
        });
    }

    /** @return a line for {@code /status} */
    String status() {
        int underWay = inFlight.values().stream().mapToInt(AtomicInteger::get).sum();
        return "mirror: answered " + answered.get() + ", failed " + failed.get() + ", in flight " + underWay
                + ", shed " + shed.get() + " (max-in-flight reached), skipped " + skippedBody.get()
                + " (body over max-body or broken off), target not a URL " + skippedTarget.get() + "\n";
    }
}
