package io.gatehouse.testkit;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request head as the origin read it off the connection: lenient (it parses what the proxy
 * sends, not hostile input), bounded in size.
 *
 * @param text the head as received, ISO-8859-1, ending with the empty line
 * @param method the method
 * @param target the request target
 * @param protocol the version
 * @param fields the header fields
 */
record RequestHeadText(String text, String method, String target, String protocol, HttpFields fields) {

    private static final int MAX_HEAD = 256 * 1024;

    /**
     * Reads one head.
     *
     * @param in the connection
     * @return the head, or empty when the connection ended cleanly before its first byte
     * @throws IOException when it ends inside a head, or the head is unusable
     */
    static Optional<RequestHeadText> read(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder(256);
        int b;
        while ((b = in.read()) >= 0) {
            text.append((char) b);
            int n = text.length();
            if (n >= 4 && text.charAt(n - 1) == '\n' && text.charAt(n - 2) == '\r' && text.charAt(n - 3) == '\n'
                    && text.charAt(n - 4) == '\r') {
                return Optional.of(parse(text.toString()));
            }
            if (n > MAX_HEAD) {
                throw new IOException("request head longer than " + MAX_HEAD + " bytes");
            }
        }
        if (text.length() == 0) {
            return Optional.empty();
        }
        throw new IOException("connection closed inside a request head: " + text);
    }

    private static RequestHeadText parse(String text) throws IOException {
        String[] lines = text.substring(0, text.length() - 4).split("\r\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3) {
            throw new IOException("not a request line: " + lines[0]);
        }
        MutableHttpFields fields = MutableHttpFields.create();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("not a header field: " + lines[i]);
            }
            try {
                fields.add(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IOException("bad header field: " + lines[i], e);
            }
        }
        return new RequestHeadText(text, requestLine[0], requestLine[1], requestLine[2], fields.toImmutable());
    }

    /** @return the target's path, without the query */
    String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** @return whether the body is chunked */
    boolean chunked() {
        return fields.all("Transfer-Encoding").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
    }

    /**
     * @return the Content-Length, or empty when none
     * @throws IOException when it is not a number
     */
    OptionalLong contentLength() throws IOException {
        Optional<String> value = fields.first("Content-Length");
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get().trim()));
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + value.get(), e);
        }
    }

    /** @return whether the client wants the connection closed after this exchange */
    boolean wantsClose() {
        boolean close = fields.all("Connection").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"));
        boolean keepAlive = fields.all("Connection").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("keep-alive"));
        return close || (protocol.equals("HTTP/1.0") && !keepAlive);
    }

    /** @return whether the client waits for {@code 100 Continue} before sending the body */
    boolean expectsContinue() {
        return fields.first("Expect").map(v -> v.equalsIgnoreCase("100-continue")).orElse(false);
    }
}
