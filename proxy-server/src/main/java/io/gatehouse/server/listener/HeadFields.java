package io.gatehouse.server.listener;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;

import java.util.Iterator;

/**
 * What the strict parser decides from a parsed head's fields, read in one pass: whether its
 * {@code Host} is acceptable (RFC 9112 §3.2), and whether it asks to be the last request of its
 * connection (RFC 9112 §9.3 and §9.6). Framing fields have been checked before ({@link
 * StrictRequestParser#checkFraming}).
 */
final class HeadFields {

    private final boolean http11;
    private int hosts;
    private String host;
    private boolean close;
    private boolean keepAlive;

    private HeadFields(HttpRequest request) {
        this.http11 = request.getVersion() == null || request.getVersion().greaterEquals(HttpVersion.HTTP_1_1);
        for (Iterator<Header> it = request.headerIterator(); it.hasNext(); ) {
            Header field = it.next();
            String name = field.getName();
            if (name.equalsIgnoreCase("Host")) {
                hosts++;
                host = field.getValue();
            } else if (name.equalsIgnoreCase("Connection")) {
                connectionOptions(field.getValue());
            }
        }
    }

    /** @return the fields of {@code request} */
    static HeadFields of(HttpRequest request) {
        return new HeadFields(request);
    }

    private void connectionOptions(String value) {
        int at = 0;
        int length = value.length();
        while (at < length) {
            while (at < length && (value.charAt(at) == ' ' || value.charAt(at) == '\t' || value.charAt(at) == ',')) {
                at++;
            }
            int end = at;
            while (end < length && value.charAt(end) != ',') {
                end++;
            }
            int last = end;
            while (last > at && (value.charAt(last - 1) == ' ' || value.charAt(last - 1) == '\t')) {
                last--;
            }
            close |= isOption(value, at, last, "close");
            keepAlive |= isOption(value, at, last, "keep-alive");
            at = end;
        }
    }

    private static boolean isOption(String value, int from, int to, String option) {
        return to - from == option.length() && value.regionMatches(true, from, option, 0, option.length());
    }

    /**
     * @return the problem with {@code Host}: none on HTTP/1.1, more than one, or a value that is
     *     not {@code uri-host [ ":" port ]}; null when there is none
     */
    String hostViolation() {
        if (hosts > 1 || (hosts == 0 && http11)) {
            return "exactly one Host header is required";
        }
        if (hosts == 1 && !HeadSyntax.isHost(host)) {
            return "invalid Host header";
        }
        return null;
    }

    /**
     * @return whether the request asks to close its connection ({@code Connection: close}, or
     *     HTTP/1.0 without {@code keep-alive}): nothing after it on the connection is a request
     */
    boolean asksToClose() {
        return close || (!http11 && !keepAlive);
    }
}
