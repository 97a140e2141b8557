package io.gatehouse.server.exchange;

import io.gatehouse.server.config.Forwarding;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpMessage;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.ProtocolVersion;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The header rules of a proxy: hop-by-hop fields removed (RFC 9110 §7.6.1), {@code Via}
 * added, and the forwarding fields ({@code X-Forwarded-*}, {@code Forwarded} of RFC 7239,
 * {@code X-Real-IP}) kept and extended for trusted proxies, replaced for anyone else. From a
 * request also go: the client-address look-alikes ({@code True-Client-IP}, {@code
 * CF-Connecting-IP}, ...) unless a trusted proxy sent them, Gatehouse's own control fields
 * ({@code X-Gatehouse-*}) whoever sent them, field names with an underscore (unless allowed) and
 * the fields of {@code strip-request-headers}.
 */
public final class ProxyHeaders {

    private static final String[] FORWARDING = {
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "Forwarded", "X-Real-IP",
        "True-Client-IP", "X-Client-IP", "CF-Connecting-IP", "X-Cluster-Client-IP", "Fastly-Client-IP",
    };

    /** The prefix of the fields Gatehouse itself uses between its parts ({@code X-Gatehouse-Mirror}). */
    private static final String CONTROL_PREFIX = "X-Gatehouse-";

    private ProxyHeaders() {
    }

    /**
     * Removes hop-by-hop fields, including every field named in {@code Connection}. Framing
     * fields are removed too: the proxy frames each leg itself.
     *
     * @param message the message, changed in place
     */
    static void stripHopByHop(HttpMessage message) {
        strip(message, false, null);
    }

    /**
     * One pass over the fields: hop-by-hop fields go; with {@code requestRules} (a request) also
     * the fields those rules remove, and with {@code untrusted} the forwarding fields.
     */
    private static void strip(HttpMessage message, boolean untrusted, Forwarding requestRules) {
        List<String> listed = null;
        for (Iterator<Header> it = message.headerIterator(); it.hasNext(); ) {
            Header header = it.next();
            String name = header.getName();
            if (isHopByHop(name)) {
                if (name.length() == 10 && name.equalsIgnoreCase("Connection")) {
                    listed = connectionOptions(header.getValue(), listed);
                }
                it.remove();
            } else if (requestRules != null && removedFromRequests(name, untrusted, requestRules)) {
                it.remove();
            }
        }
        if (listed != null) {
            for (String name : listed) {
                message.removeHeaders(name);
            }
        }
    }

    private static List<String> connectionOptions(String value, List<String> listed) {
        List<String> names = listed;
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String option = value.substring(start, end).trim();
            if (!option.isEmpty() && !isHopByHop(option)) {
                if (names == null) {
                    names = new ArrayList<>(2);
                }
                names.add(option);
            }
            start = end + 1;
        }
        return names;
    }

    /** Field names that only concern one connection (RFC 9110 §7.6.1), plus the framing fields. */
    static boolean isHopByHop(String name) {
        switch (name.length()) {
            case 2: return name.equalsIgnoreCase("TE");
            case 7: return name.equalsIgnoreCase("Upgrade");
            case 10: return name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Keep-Alive");
            case 14: return name.equalsIgnoreCase("Content-Length");
            case 16: return name.equalsIgnoreCase("Proxy-Connection");
            case 17: return name.equalsIgnoreCase("Transfer-Encoding");
            default: return false;
        }
    }

    private static boolean removedFromRequests(String name, boolean untrusted, Forwarding rules) {
        return (untrusted && isForwarding(name))
                || name.regionMatches(true, 0, CONTROL_PREFIX, 0, CONTROL_PREFIX.length())
                || (!rules.underscoresInHeaders() && name.indexOf('_') >= 0)
                || rules.strips(name);
    }

    private static boolean isForwarding(String name) {
        for (String forwarding : FORWARDING) {
            if (forwarding.length() == name.length() && forwarding.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes hop-by-hop fields and writes the forwarding fields of a client→proxy request, in
     * one pass over the fields.
     *
     * @param request the request, changed in place
     * @param client the client's address
     * @param scheme the scheme the client used
     * @param rules trusted proxies
     */
    public static void prepareRequest(HttpRequest request, InetSocketAddress client, String scheme, Forwarding rules) {
        boolean trusted = rules.trusts(client.getAddress());
        strip(request, !trusted, rules);
        applyForwarding(request, client, scheme, trusted);
    }

    /**
     * @param request a received request, before hop-by-hop fields are removed
     * @return whether its {@code TE} lists {@code trailers}
     */
    static boolean acceptsTrailers(HttpRequest request) {
        for (Iterator<Header> it = request.headerIterator("TE"); it.hasNext(); ) {
            for (String option : it.next().getValue().split(",")) {
                String name = option.trim();
                int parameters = name.indexOf(';');
                if ((parameters < 0 ? name : name.substring(0, parameters).trim()).equalsIgnoreCase("trailers")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the sender asked to close the connection after this exchange: {@code Connection:
     * close}, or HTTP/1.0 without {@code keep-alive}.
     *
     * @param message a received message, before hop-by-hop fields are removed
     * @return true to close
     */
    static boolean wantsClose(HttpMessage message) {
        boolean keepAlive = false;
        for (Header header : message.getHeaders("Connection")) {
            for (String token : header.getValue().split(",")) {
                String option = token.trim();
                if (option.equalsIgnoreCase("close")) {
                    return true;
                }
                keepAlive |= option.equalsIgnoreCase("keep-alive");
            }
        }
        ProtocolVersion version = message.getVersion();
        return version != null && version.lessEquals(org.apache.hc.core5.http.HttpVersion.HTTP_1_0) && !keepAlive;
    }

    /**
     * Writes the forwarding fields of a client→proxy request.
     *
     * @param request the request, changed in place
     * @param client the client's address
     * @param scheme the scheme the client used
     * @param rules trusted proxies
     */
    static void applyForwarding(HttpRequest request, InetSocketAddress client, String scheme, Forwarding rules) {
        boolean trusted = rules.trusts(client.getAddress());
        if (!trusted) {
            for (String name : FORWARDING) {
                request.removeHeaders(name);
            }
        }
        applyForwarding(request, client, scheme, trusted);
    }

    private static void applyForwarding(HttpRequest request, InetSocketAddress client, String scheme, boolean trusted) {
        InetAddress address = client.getAddress();
        String ip = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int zone = ip.indexOf('%');
            if (zone >= 0) {
                ip = ip.substring(0, zone);
            }
        }
        String host = request.getAuthority() == null ? "" : request.getAuthority().toString();
        StringBuilder forwarded = new StringBuilder(64).append("for=");
        if (address instanceof Inet6Address) {
            forwarded.append("\"[").append(ip).append("]\"");
        } else {
            forwarded.append(ip);
        }
        if (!host.isEmpty()) {
            forwarded.append(";host=").append(quoteIfNeeded(host));
        }
        forwarded.append(";proto=").append(scheme);
        if (trusted) {
            append(request, "X-Forwarded-For", ip);
            setIfAbsent(request, "X-Forwarded-Proto", scheme);
            if (!host.isEmpty()) {
                setIfAbsent(request, "X-Forwarded-Host", host);
            }
            setIfAbsent(request, "X-Real-IP", ip);
            append(request, "Forwarded", forwarded.toString());
        } else {
            request.addHeader("X-Forwarded-For", ip);
            request.addHeader("X-Forwarded-Proto", scheme);
            if (!host.isEmpty()) {
                request.addHeader("X-Forwarded-Host", host);
            }
            request.addHeader("X-Real-IP", ip);
            request.addHeader("Forwarded", forwarded.toString());
        }
    }

    /**
     * Adds this proxy to {@code Via}.
     *
     * @param message the message
     * @param version the protocol version of the received message
     * @param pseudonym this proxy's name
     */
    static void addVia(HttpMessage message, ProtocolVersion version, String pseudonym) {
        String received = version == null ? "1.1" : version.getMajor() >= 2 ? Integer.toString(version.getMajor()) // "2" (RFC 9110 §7.6.3)
                : version.getMajor() + "." + version.getMinor();
        append(message, "Via", received + " " + pseudonym);
    }

    private static void append(HttpMessage message, String name, String value) {
        Header[] existing = message.getHeaders(name);
        if (existing.length == 0) {
            message.addHeader(name, value);
            return;
        }
        StringBuilder combined = new StringBuilder();
        for (Header header : existing) {
            combined.append(header.getValue()).append(", ");
        }
        message.removeHeaders(name);
        message.addHeader(name, combined.append(value).toString());
    }

    private static void setIfAbsent(HttpMessage message, String name, String value) {
        if (!message.containsHeader(name)) {
            message.addHeader(name, value);
        }
    }

    private static String quoteIfNeeded(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
        }
        return value;
    }

    /**
     * Whether a header value from an origin holds a character HttpCore's lenient parser would
     * silently turn into a space (NUL, CR).
     *
     * @param header the parsed header
     * @return true when it must be refused
     */
    /** @return whether any field of {@code message} has a character that must not be relayed */
    static boolean hasForbiddenCharacters(HttpMessage message) {
        for (Header header : message.getHeaders()) {
            if (hasForbiddenCharacters(header)) {
                return true;
            }
        }
        return false;
    }

    static boolean hasForbiddenCharacters(Header header) {
        if (header instanceof org.apache.hc.core5.http.FormattedHeader) {
            org.apache.hc.core5.util.CharArrayBuffer buffer = ((org.apache.hc.core5.http.FormattedHeader) header).getBuffer();
            char[] chars = buffer.array();
            for (int i = 0, n = buffer.length(); i < n; i++) {
                char c = chars[i];
                if (c < 0x20 && (c == 0 || c == '\r' || c == '\n')) {
                    return true;
                }
            }
            return false;
        }
        String value = header.getValue();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    /**
     * @param value an {@code Expect} value
     * @return whether it is exactly {@code 100-continue}
     */
    static boolean isContinue(String value) {
        return value.trim().toLowerCase(Locale.ROOT).equals("100-continue");
    }
}
