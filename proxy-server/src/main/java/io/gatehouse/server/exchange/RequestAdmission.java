package io.gatehouse.server.exchange;

import io.gatehouse.api.http.PathNormalizer;
import io.gatehouse.server.config.Forwarding;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;

import java.util.Iterator;
import java.util.Optional;

/**
 * Checks made on a parsed request head before any filter runs; a refusal closes the connection.
 * Over-long request lines (414) and header sections (431) never get here: the parser refuses
 * them while reading.
 */
final class RequestAdmission {

    /**
     * The verdict on one request head.
     *
     * @param refusal the answer when the request is refused, else empty
     * @param expectContinue whether the client waits for {@code 100 Continue} before its body
     */
    record Verdict(Optional<LocalResponses> refusal, boolean expectContinue) {
    }

    private static final Verdict ADMITTED = new Verdict(Optional.empty(), false);

    private RequestAdmission() {
    }

    /**
     * Checks the head, normalises its target's path ({@link PathNormalizer}: once, before any
     * filter sees it; the exchange keeps the target as received) and removes a valid
     * {@code Expect: 100-continue} (the proxy answers it).
     *
     * @param request the client→proxy request head
     * @param entity its body, null when none
     * @param bodyLimit {@code server.limits.body}
     * @param forwarding this proxy's name in {@code Via} and how often a request may already carry it
     * @return the verdict
     */
    static Verdict check(HttpRequest request, EntityDetails entity, long bodyLimit, Forwarding forwarding) {
        if (request.getVersion() != null && request.getVersion().greaterEquals(HttpVersion.HTTP_1_1)
                && request.countHeaders("Host") != 1) {
            return refuse(LocalResponses.HOST_REQUIRED);
        }
        String target = request.getPath();
        try {
            String normal = PathNormalizer.normalizeTarget(target);
            if (!normal.equals(target)) {
                request.setPath(normal);
            }
        } catch (IllegalArgumentException e) {
            return refuse(LocalResponses.pathRefused(e.getMessage()));
        }
        if (entity != null && entity.getContentLength() > bodyLimit) {
            return refuse(LocalResponses.REQUEST_BODY_TOO_LARGE);
        }
        if (timesVia(request, forwarding.via()) >= forwarding.viaLoopLimit()) {
            return refuse(LocalResponses.LOOP_DETECTED);
        }
        Header[] expect = request.getHeaders("Expect");
        if (expect.length == 0) {
            return ADMITTED;
        }
        if (expect.length > 1 || !ProxyHeaders.isContinue(expect[0].getValue())) {
            return refuse(LocalResponses.EXPECTATION_FAILED);
        }
        request.removeHeaders("Expect");
        return entity == null ? ADMITTED : new Verdict(Optional.empty(), true);
    }

    /**
     * Counts the {@code Via} entries received by {@code pseudonym} ({@code 1.1 gatehouse},
     * {@code 1.0 Gatehouse (comment)}): how often the request has passed through this proxy.
     */
    static int timesVia(HttpRequest request, String pseudonym) {
        int times = 0;
        for (Iterator<Header> it = request.headerIterator("Via"); it.hasNext(); ) {
            for (String entry : it.next().getValue().split(",")) {
                String[] parts = entry.trim().split("[ \t]+", 3);
                if (parts.length >= 2 && parts[1].equalsIgnoreCase(pseudonym)) {
                    times++;
                }
            }
        }
        return times;
    }

    private static Verdict refuse(LocalResponses answer) {
        return new Verdict(Optional.of(answer), false);
    }
}
