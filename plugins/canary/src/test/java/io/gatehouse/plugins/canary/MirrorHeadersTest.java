package io.gatehouse.plugins.canary;

import io.gatehouse.api.HttpFields;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which request fields a mirrored copy carries. */
class MirrorHeadersTest {

    private static final HttpFields REQUEST = HttpFields.of(
            "Host", "shop.example", "Accept", "text/html", "Authorization", "Bearer secret", "Cookie", "session=s1",
            "Proxy-Authorization", "Basic cHJveHk=", "Connection", "keep-alive, X-Hop", "X-Hop", "one-hop-only",
            "Keep-Alive", "timeout=5", "X-Trace", "t-1");

    private static List<String> names(List<Map.Entry<String, String>> headers) {
        return headers.stream().map(Map.Entry::getKey).toList();
    }

    @Test
    void byDefaultNoCredentialsNoHopByHopAndNothingNamedInConnection() {
        assertThat(names(Mirror.copiedHeaders(REQUEST, false))).containsExactly("Accept", "X-Trace");
    }

    @Test
    void forwardCredentialsAddsAuthorizationAndCookieButNeverProxyAuthorization() {
        assertThat(Mirror.copiedHeaders(REQUEST, true)).containsExactly(Map.entry("Accept", "text/html"),
                Map.entry("Authorization", "Bearer secret"), Map.entry("Cookie", "session=s1"), Map.entry("X-Trace", "t-1"));
    }

    @Test
    void namesAreMatchedWhateverTheirCase() {
        HttpFields headers = HttpFields.of("authorization", "a", "COOKIE", "c", "connection", "X-A", "x-a", "1", "X-B", "2");
        assertThat(names(Mirror.copiedHeaders(headers, false))).containsExactly("X-B");
    }
}
