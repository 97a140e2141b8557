package io.gatehouse.server.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * Splits what a client received on one connection into responses.
 *
 * @param responses the responses, interim ones included, in order
 * @param problem why the rest of the bytes is not a response, or null when they all parsed
 */
record ProxyResponses(List<Response> responses, String problem) {

    /**
     * One response.
     *
     * @param status its status code
     * @param head its head
     * @param record the {@code X-Record} of an origin's response, or -1 for the proxy's own
     * @param text its head and body as received (set once the body is read)
     */
    record Response(int status, String head, int record, String text) {

        /** @return whether it announces the end of the connection ({@code Connection: close}) */
        boolean closes() {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("Connection")) {
                    for (String option : line.substring(colon + 1).split(",")) {
                        if (option.strip().equalsIgnoreCase("close")) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }

    /**
     * @param received everything received, ISO-8859-1
     * @param bodiless whether the response carrying an {@code X-Record} is to a HEAD request
     * @return the responses
     */
    static ProxyResponses parse(String received, IntPredicate bodiless) {
        List<Response> responses = new ArrayList<>();
        int at = 0;
        while (at < received.length()) {
            int end = received.indexOf("\r\n\r\n", at);
            if (end < 0 || !received.startsWith("HTTP/1.1 ", at) || end - at < 12) {
                return new ProxyResponses(responses, "not a response head at byte " + at);
            }
            String head = received.substring(at, end + 4);
            int status;
            try {
                status = Integer.parseInt(head.substring(9, 12));
            } catch (NumberFormatException e) {
                return new ProxyResponses(responses, "no status code at byte " + at);
            }
            String lower = head.toLowerCase(Locale.ROOT);
            int record = intField(lower, "x-record").orElse(-1);
            int start = at;
            at = end + 4;
            if (status < 200 || status == 204 || status == 304 || (record >= 0 && bodiless.test(record))) {
                responses.add(new Response(status, head, record, head));
                continue;
            }
            if (lower.contains("\r\ntransfer-encoding: chunked\r\n")) {
                at = skipChunked(received, at);
                if (at < 0) {
                    responses.add(new Response(status, head, record, received.substring(start)));
                    return new ProxyResponses(responses, "truncated or malformed chunked response body");
                }
            } else if (lower.contains("\r\ncontent-length:")) {
                int length = intField(lower, "content-length").orElse(-1);
                if (length < 0 || at + length > received.length()) {
                    responses.add(new Response(status, head, record, received.substring(start)));
                    return new ProxyResponses(responses, "truncated response body");
                }
                at += length;
            } else {
                at = received.length(); // delimited by the close
            }
            responses.add(new Response(status, head, record, received.substring(start, at)));
        }
        return new ProxyResponses(responses, null);
    }

    private static java.util.OptionalInt intField(String lowerHead, String name) {
        int at = lowerHead.indexOf("\r\n" + name + ":");
        if (at < 0) {
            return java.util.OptionalInt.empty();
        }
        int end = lowerHead.indexOf("\r\n", at + 2);
        try {
            return java.util.OptionalInt.of(Integer.parseInt(lowerHead.substring(at + name.length() + 3, end).strip()));
        } catch (NumberFormatException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** @return the index after the chunked body starting at {@code at}, or -1 */
    private static int skipChunked(String received, int at) {
        while (true) {
            int end = received.indexOf("\r\n", at);
            if (end < 0) {
                return -1;
            }
            String size = received.substring(at, end);
            int semicolon = size.indexOf(';');
            long length;
            try {
                length = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
            at = end + 2;
            if (length == 0) {
                int trailersEnd = received.indexOf("\r\n", at);
                while (trailersEnd > at) {
                    at = trailersEnd + 2;
                    trailersEnd = received.indexOf("\r\n", at);
                }
                return trailersEnd < 0 ? -1 : trailersEnd + 2;
            }
            at += (int) length;
            if (!received.startsWith("\r\n", at)) {
                return -1;
            }
            at += 2;
        }
    }
}
