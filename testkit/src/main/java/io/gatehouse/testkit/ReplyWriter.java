package io.gatehouse.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes a {@link Reply} as an HTTP/1.1 response. */
final class ReplyWriter {

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(100, "Continue"), Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"),
            Map.entry(204, "No Content"), Map.entry(206, "Partial Content"), Map.entry(301, "Moved Permanently"),
            Map.entry(302, "Found"), Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    private static final int CHUNK = 16 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private ReplyWriter() {
    }

    /**
     * Writes the response and flushes.
     *
     * @param reply the reply
     * @param head the request it answers
     * @param out the connection
     * @param closeAfter whether the connection is closed after this response
     * @return whether the whole response was sent (false: broken off as the reply asked)
     * @throws IOException when the connection fails
     */
    static boolean write(Reply reply, RequestHeadText head, OutputStream out, boolean closeAfter) throws IOException {
        int status = reply.statusCode();
        boolean bodyAllowed = status >= 200 && status != 204 && status != 304;
        boolean sendBody = bodyAllowed && !head.method().equals("HEAD");
        boolean framedByReply = reply.headers().contains("Content-Length") || reply.headers().contains("Transfer-Encoding");
        boolean chunked = bodyAllowed && reply.isChunked();

        StringBuilder text = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                .append(REASONS.getOrDefault(status, "Status")).append("\r\n");
        reply.headers().forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        if (bodyAllowed && !framedByReply) {
            text.append(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + reply.bodyLength()).append("\r\n");
        }
        if (closeAfter && !reply.headers().contains("Connection")) {
            text.append("Connection: close\r\n");
        }
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!sendBody) {
            out.flush();
            return reply.breakOff() < 0;
        }
        long limit = reply.breakOff() < 0 ? Long.MAX_VALUE : reply.breakOff();
        long sent = 0;
        byte[] buffer = new byte[CHUNK];
        try (InputStream body = reply.openBody()) {
            int n;
            while (sent < limit && (n = body.read(buffer, 0, (int) Math.min(buffer.length, limit - sent))) >= 0) {
                if (n == 0) {
                    continue;
                }
                if (chunked) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write(buffer, 0, n);
                if (chunked) {
                    out.write(CRLF);
                }
                sent += n;
            }
        }
        if (sent >= limit && reply.breakOff() >= 0) {
            out.flush();
            return false;
        }
        if (chunked) {
            StringBuilder end = new StringBuilder("0\r\n");
            reply.trailers().forEach((name, value) -> end.append(name).append(": ").append(value).append("\r\n"));
            out.write(end.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        out.flush();
        return true;
    }
}
