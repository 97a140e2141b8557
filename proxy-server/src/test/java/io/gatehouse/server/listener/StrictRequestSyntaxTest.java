package io.gatehouse.server.listener;

import org.apache.hc.core5.http.HttpRequest;
import org.junit.jupiter.api.Test;
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

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"Bad{Name}: x", "Na me: x", "A/B: x", "A\"B: x", "A(B): x", "A@B: x", "A[B]: x", "A=B: x",
            "A;B: x", "A,B: x", "A\\B: x", "A?B: x", "A<B>: x", "Na\u00e9me: x", "X\u007fY: x", "X\tY: x", "X\u0001Y: x",
            "X\u0000Y: x"})
    void aFieldNameOutsideTcharIsRefused(String field) {
        assertThat(HeadParse.verdict(head("GET / HTTP/1.1", "Host: a", field))).isEqualTo("400");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {": x", "Host : a", "X\t: y", "NoColon", " X: y"})
    void emptyNamesWhitespaceBeforeTheColonAndLinesWithoutAColonStayRefused(String field) {
        assertThat(HeadParse.verdict(head("GET / HTTP/1.1", "Host: a", field))).isEqualTo("400");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"X: a\u0001b", "X: \u001b[31m", "X: a\u007fb", "X: a\u000bb", "X: a\u000cb", "X: a\u001fb",
            "X: \u0008"})
    void aControlCharacterInAFieldValueIsRefused(String field) {
        assertThat(HeadParse.verdict(head("GET / HTTP/1.1", "Host: a", field))).isEqualTo("400");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\r\n\r\n", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n\rX: y\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n", "GET / HTTP/1.1\nHost: a\n\n"})
    void nulBareCrBareLfAndObsFoldStayRefused(String head) {
        assertThat(HeadParse.verdict(head)).isEqualTo("400");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"GET  / HTTP/1.1", "GET /  HTTP/1.1", "GET\t/ HTTP/1.1", "GET /\tHTTP/1.1", "GET / HTTP/1.1 ",
            "GET / HTTP/1.1\t", "GET / http/1.1", "GET / HTTP/01.1", "GET / HTTP/1.1\u000b", "GET / HTTP/1.1 x",
            "GET / HTTP/1", "GET / HTTP/1.1.1"})
    void aRequestLineNotMadeOfThreePartsAndTwoSingleSpacesIsRefused(String requestLine) {
        assertThat(HeadParse.verdict(head(requestLine, "Host: a"))).isEqualTo("400");
    }

    @Test
    void refusalsNeverQuoteTheClientsBytes() {
        assertThat(HeadParse.refusal(head("GET / HTTP/1.1", "Host: a", "Secret{Name}: x"))).doesNotContain("Secret");
        assertThat(HeadParse.refusal(head("GET / HTTP/1.1", "Host: a", "X: secret\u0001"))).doesNotContain("secret");
        assertThat(HeadParse.refusal(head("GET /secret#x HTTP/1.1", "Host: a"))).doesNotContain("secret");
        assertThat(HeadParse.refusal(head("GET  /secret HTTP/1.1", "Host: a"))).doesNotContain("secret");
    }

    @Test
    void everyTcharIsAcceptedInAName() {
        HttpRequest request = HeadParse.parsed(head("GET / HTTP/1.1", "Host: a", "X-Az09!#$%&'*+-.^_`|~: v"));

        assertThat(request.getFirstHeader("X-Az09!#$%&'*+-.^_`|~").getValue()).isEqualTo("v");
    }

    @Test
    void valuesMayHoldHtabSpacesObsTextAndNothing() {
        HttpRequest request = HeadParse.parsed(head("GET / HTTP/1.1", "Host: a", "X-Tab: a\tb", "X-Spaces:\t a b  c \t",
                "X-Obs-Text: caf\u00e9", "X-Empty:"));

        assertThat(request.getFirstHeader("X-Tab").getValue()).isEqualTo("a\tb");
        assertThat(request.getFirstHeader("X-Spaces").getValue()).isEqualTo("a b  c");
        assertThat(request.getFirstHeader("X-Obs-Text").getValue()).isEqualTo("caf\u00e9");
        assertThat(request.getFirstHeader("X-Empty").getValue()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"a:99999", "a:65536", "a:1x", "a:-1", "a b", "user@a", "a:b:c", "::1", "[::1", "[zz::1]", "[::1]x",
            "[v1.x]", "a/b", "a?b", "a#b", "%zz.example", "a%2", "f\u009b\u00ee:uzz.test", "a\u00e9.example", "a\"b", "a:123456",
            "a~d.example", "%61.example", "vict%69m", "a!$&'()*+,;=b", "a,b", "a;b"})
    void anInvalidHostIsRefused(String host) {
        assertThat(HeadParse.verdict(head("GET / HTTP/1.1", "Host: " + host))).isEqualTo("400");
        assertThat(HeadParse.refusal(head("GET / HTTP/1.1", "Host: " + host))).isEqualTo("invalid Host header");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"a", "a.example:8080", "127.0.0.1", "127.0.0.1:65535", "[::1]", "[2001:db8::7]:443", "xn--bcher-kva.example",
            "a_b-c.example", "A.Example", "a:", "a:0"})
    void aValidHostPasses(String host) {
        assertThat(HeadParse.verdict(head("GET / HTTP/1.1", "Host: " + host))).isEqualTo("forwarded");
    }

    @Test
    void anEmptyHostPasses() {
        assertThat(HeadParse.verdict(head("GET / HTTP/1.1", "Host:"))).isEqualTo("forwarded");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"GET / HTTP/1.1\r\n\r\n", "GET http://a/ HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"})
    void aMissingOrRepeatedHostIsRefused(String head) {
        assertThat(HeadParse.verdict(head)).isEqualTo("400");
        assertThat(HeadParse.refusal(head)).isEqualTo("exactly one Host header is required");
    }

    @Test
    void http10MayOmitTheHost() {
        assertThat(HeadParse.verdict("GET / HTTP/1.0\r\n\r\n")).isEqualTo("forwarded");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"GET /a#f HTTP/1.1\r\nHost: a\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nBad{Name}: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n"})
    void nothingAfterARefusedHeadIsParsed(String refused) {
        assertThat(HeadParse.afterRefusal(refused, "GET /next HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo("incomplete");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n", "GET / HTTP/1.0\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: ,\tclose ,\r\n\r\n", "GET / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive-x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nConnection: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"})
    void nothingAfterARequestThatClosesTheConnectionIsParsed(String closing) {
        assertThat(HeadParse.afterAccepted(closing, "GET /next HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo("incomplete");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\n\r\n",
            "GET / HTTP/1.0\r\nHost: a\r\nConnection: x, Keep-Alive \r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nConnection: enclose\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n"})
    void aPipelinedRequestAfterAKeptAliveOneIsParsed(String first) {
        assertThat(HeadParse.afterAccepted(first, "GET /next HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo("forwarded");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET /a/b?c=d:e@f/g?h HTTP/1.1", "OPTIONS * HTTP/1.1", "GET http://a.example:8080/p?q HTTP/1.1",
            "PATCH /%23notafragment HTTP/1.1", "GET / HTTP/1.0"})
    void validRequestLinesPass(String requestLine) {
        assertThat(HeadParse.verdict(head(requestLine, "Host: a"))).isEqualTo("forwarded");
    }
}
