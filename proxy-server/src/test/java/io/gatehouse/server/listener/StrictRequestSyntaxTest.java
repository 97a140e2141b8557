package io.gatehouse.server.listener;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The syntax of a request head, as {@link StrictRequestParser} enforces it: RFC 9112 §3 (request
 * line), RFC 9110 §7.1 and RFC 9112 §3.2 (no fragment in a target), RFC 9110 §5.1 and §5.5 and
 * RFC 9112 §5 (field names are tokens, field values have no control characters but HTAB).
 */
class StrictRequestSyntaxTest {

    private static String head(String requestLine, String... fields) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\n");
        for (String field : fields) {
            head.append(field).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/path#frag", "/p?q=1#f", "/#", "/a#", "http://a.example/p#f", "http://a.example#f"})
    void aTargetWithAFragmentIsRefused(String target) {
        assertThat(HeadParse.verdict(head("GET " + target + " HTTP/1.1", "Host: a"))).isEqualTo("400");
        assertThat(HeadParse.refusal(head("GET " + target + " HTTP/1.1", "Host: a"))).isEqualTo("fragment in request target");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET /a/b?c=d:e@f/g?h HTTP/1.1", "OPTIONS * HTTP/1.1", "GET http://a.example:8080/p?q HTTP/1.1",
            "PATCH /%23notafragment HTTP/1.1", "GET / HTTP/1.0"})
    void validRequestLinesPass(String requestLine) {
        assertThat(HeadParse.verdict(head(requestLine, "Host: a"))).isEqualTo("forwarded");
    }
}
