package io.gatehouse.plugins.compression;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.metrics.FilterMetrics;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Compresses a response when its type is worth it, it is not encoded or partial already, the
 * origin did not forbid it ({@code no-transform}), it is not known to be small, and the client's
 * {@code Accept-Encoding} accepts one of the offered codings; says so in {@code Content-Encoding}
 * and in {@code Vary: Accept-Encoding} (on every response of a compressible type, compressed or
 * not, so that caches keep the variants apart). Decodes compressed request bodies when configured.
 */
final class CompressionFilter implements ProxyFilter {

    private final CompressionConfig config;
    private final FilterMetrics.Counter[] compressed = new FilterMetrics.Counter[Coding.values().length];
    private final FilterMetrics.Counter skipped;
    private final LongAdder[] compressedCount = new LongAdder[Coding.values().length];
    private final LongAdder skippedCount = new LongAdder();

    CompressionFilter(CompressionConfig config, FilterContext context) {
        this.config = config;
        for (Coding coding : Coding.values()) {
            compressed[coding.ordinal()] = context.metrics().counter("responses", "coding", coding.token());
            compressedCount[coding.ordinal()] = new LongAdder();
        }
        this.skipped = context.metrics().counter("responses", "coding", "identity");
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        if (config.requests().isPresent()) {
            RequestDecoding.install(exchange, config.requests().get());
        }
        return FilterResult.proceed();
    }

    @Override
    public CompletionStage<FilterResult> onResponse(Exchange exchange) {
        Optional<ResponseHead> head = exchange.response();
        if (head.isEmpty()) {
            return FilterResult.proceed();
        }
        ResponseHead response = head.get();
        MutableHttpFields headers = response.headers();
        int status = response.status();
        if (status < 200 || status == 204 || status == 206 || status == 304 || !config.types().matches(headers.first("Content-Type"))) {
            return FilterResult.proceed();
        }
        addVary(headers);
        if (encoded(headers) || noTransform(headers) || small(response)) {
            skip();
            return FilterResult.proceed();
        }
        Optional<Coding> coding = AcceptEncoding.choose(exchange.request().headers().all("Accept-Encoding"), config.algorithms());
        if (coding.isEmpty()) {
            skip();
            return FilterResult.proceed();
        }
        headers.set("Content-Encoding", coding.get().token());
        exchange.transformResponseBody(new Compressor(coding.get(), config.levels().get(coding.get())));
        compressed[coding.get().ordinal()].increment();
        compressedCount[coding.get().ordinal()].increment();
        return FilterResult.proceed();
    }

    private void skip() {
        skipped.increment();
        skippedCount.increment();
    }

    private static void addVary(MutableHttpFields headers) {
        for (String vary : headers.all("Vary")) {
            for (String name : vary.split(",")) {
                String trimmed = name.trim();
                if (trimmed.equals("*") || trimmed.equalsIgnoreCase("Accept-Encoding")) {
                    return;
                }
            }
        }
        headers.add("Vary", "Accept-Encoding");
    }

    private static boolean encoded(MutableHttpFields headers) {
        return headers.all("Content-Encoding").stream().anyMatch(value -> !value.trim().equalsIgnoreCase("identity"));
    }

    private static boolean noTransform(MutableHttpFields headers) {
        return headers.all("Cache-Control").stream().anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("no-transform"));
    }

    private boolean small(ResponseHead response) {
        OptionalLong length = response.bodyLength();
        return length.isPresent() && length.getAsLong() < config.minSize();
    }

    /** @return for the admin {@code /status} */
    @Override
    public Optional<String> status() {
        StringBuilder text = new StringBuilder("compression: ");
        for (Coding coding : Coding.values()) {
            text.append(coding.token()).append(' ').append(compressedCount[coding.ordinal()].sum()).append(", ");
        }
        return Optional.of(text.append("identity ").append(skippedCount.sum()).append('\n').toString());
    }
}
