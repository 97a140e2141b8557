package io.gatehouse.server.listener;

import io.gatehouse.server.exchange.RejectedRequest;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.impl.nio.DefaultHttpRequestFactory;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Builds request messages from the request line without reinterpreting the target: an
 * origin-form target such as {@code //evil.example/x} stays a path (HttpCore's default would
 * read it as an authority). Absolute-form targets set the authority; anything else is refused,
 * and so is a target with a fragment.
 */
final class RequestTargets implements org.apache.hc.core5.http.HttpRequestFactory<HttpRequest> {

    static final RequestTargets INSTANCE = new RequestTargets();

    @Override
    public HttpRequest newHttpRequest(String method, String target) {
        if (!HeadSyntax.isToken(method)) {
            return new RejectedRequest(400, "invalid method");
        }
        if (!isVisibleAscii(target)) {
            return new RejectedRequest(400, "invalid character in request target");
        }
        if (target.indexOf('#') >= 0) {
            // RFC 9110 §7.1, RFC 9112 §3.2: a fragment is the client's own business, never sent
            return new RejectedRequest(400, "fragment in request target");
        }
        if (method.equals("CONNECT")) {
            return new RejectedRequest(405, "CONNECT is not supported by this proxy");
        }
        if (target.startsWith("/")) {
            return new BasicHttpRequest(method, null, null, target);
        }
        if (target.equals("*")) {
            return method.equals("OPTIONS") ? new BasicHttpRequest(method, null, null, target)
                    : new RejectedRequest(400, "asterisk target is only valid for OPTIONS");
        }
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI uri = new URI(target);
                if (uri.getRawAuthority() == null || uri.getRawUserInfo() != null || uri.getHost() == null) {
                    return new RejectedRequest(400, "invalid absolute request target");
                }
                String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                if (uri.getRawQuery() != null) {
                    path = path + "?" + uri.getRawQuery();
                }
                return new BasicHttpRequest(method, uri.getScheme().toLowerCase(Locale.ROOT),
                        new URIAuthority(uri.getHost(), uri.getPort()), path);
            } catch (URISyntaxException e) {
                return new RejectedRequest(400, "invalid absolute request target");
            }
        }
        return new RejectedRequest(400, "invalid request target");
    }

    @Override
    public HttpRequest newHttpRequest(String method, URI uri) {
        return DefaultHttpRequestFactory.INSTANCE.newHttpRequest(method, uri);
    }

    private static boolean isVisibleAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return !text.isEmpty();
    }
}
