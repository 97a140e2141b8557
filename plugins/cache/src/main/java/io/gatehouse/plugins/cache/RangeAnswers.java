package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.Response;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers a {@code Range} request from a stored complete {@code 200} (RFC 9110 §14): one part
 * as a {@code 206} whose body shares the stored one (no copy, whatever the object's size),
 * several as {@code multipart/byteranges} (the parts are copied, nothing else), none satisfiable
 * as {@code 416}. An {@code If-Range} that does not match the stored response strongly gets the
 * whole {@code 200}.
 */
final class RangeAnswers {

    private RangeAnswers() {
    }

    /**
     * @param entry the stored response, a complete 200
     * @param request the request's fields ({@code Range}, {@code If-Range})
     * @param now the cache's clock, seconds
     * @param cacheStatus the {@code Cache-Status} value
     * @return the answer: a 206, a 416, or the whole response when the range is to be ignored
     */
    static Response answer(Entry entry, HttpFields request, long now, String cacheStatus) {
        long length = entry.content().bodyLength();
        Optional<String> range = request.first("Range");
        ByteRanges.Ask ask = range.isEmpty() || !ifRangeHolds(entry, request, now) ? new ByteRanges.Whole() : ByteRanges.parse(range.get(), length);
        if (ask instanceof ByteRanges.Unsatisfiable) {
            return head(Response.status(416), entry, now, cacheStatus, false).header("Content-Range", "bytes */" + length).build();
        }
        if (!(ask instanceof ByteRanges.Parts parts)) {
            return Serving.serve(entry, false, now, cacheStatus);
        }
        if (parts.parts().size() == 1) {
            ByteRanges.Part part = parts.parts().get(0);
            return head(Response.status(206), entry, now, cacheStatus, true).header("Content-Range", part.contentRange(length))
                    .body(entry.content(), (int) part.first(), (int) part.size()).build();
        }
        return multipart(entry, parts.parts(), length, now, cacheStatus);
    }

    private static Response multipart(Entry entry, List<ByteRanges.Part> parts, long length, long now, String cacheStatus) {
        String boundary = "gatehouse-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Optional<String> type = entry.headers().first("Content-Type");
        ByteBuffer body = entry.content().bodyBuffer();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteRanges.Part part : parts) {
            String partHead = "\r\n--" + boundary + "\r\n" + type.map(t -> "Content-Type: " + t + "\r\n").orElse("")
                    + "Content-Range: " + part.contentRange(length) + "\r\n\r\n";
            out.writeBytes(partHead.getBytes(StandardCharsets.ISO_8859_1));
            out.write(slice(body, part), 0, (int) part.size());
        }
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return head(Response.status(206), entry, now, cacheStatus, false)
                .header("Content-Type", "multipart/byteranges; boundary=" + boundary).body(out.toByteArray()).build();
    }

    private static byte[] slice(ByteBuffer body, ByteRanges.Part part) {
        byte[] bytes = new byte[(int) part.size()];
        body.duplicate().position((int) part.first()).get(bytes);
        return bytes;
    }

    /** The stored head without its framing and type fields (set per answer), plus Age and Cache-Status. */
    private static Response.Builder head(Response.Builder response, Entry entry, long now, String cacheStatus, boolean keepType) {
        entry.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("content-length") && !lower.equals("content-range") && (keepType || !lower.equals("content-type"))) {
                response.header(name, value);
            }
        });
        return response.header("Age", Long.toString(entry.age(now))).header(CacheFilter.STATUS, cacheStatus);
    }

    /**
     * RFC 9110 §13.1.5: without {@code If-Range} the range applies; with an entity tag it applies
     * only when the stored response has the same strong one; with a date, only when it equals the
     * stored {@code Last-Modified}, which is strong (at least a second before the stored {@code Date}).
     */
    static boolean ifRangeHolds(Entry entry, HttpFields request, long now) {
        Optional<String> ifRange = request.first("If-Range").map(String::trim);
        if (ifRange.isEmpty()) {
            return true;
        }
        String validator = ifRange.get();
        if (validator.startsWith("\"") || validator.startsWith("W/")) {
            return !validator.startsWith("W/") && entry.etag().map(validator::equals).orElse(false);
        }
        Optional<Long> asked = HttpDate.parse(validator, now);
        Optional<Long> modified = entry.lastModified().flatMap(v -> HttpDate.parse(v, now));
        Optional<Long> date = entry.headers().first("Date").flatMap(v -> HttpDate.parse(v, now));
        return asked.isPresent() && asked.equals(modified) && date.isPresent() && date.get() - modified.get() >= 1;
    }
}
