package io.gatehouse.api.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/, /",
            "/a/b, /a/b",
            "/a/b/, /a/b/",
            // runs of slashes merge
            "//, /",
            "/a//b, /a/b",
            "//admin, /admin",
            "///admin//x//, /admin/x/",
            // dot-segments, plain and encoded
            "/a/./b, /a/b",
            "/./, /",
            "/., /",
            "/a/./, /a/",
            "/a/., /a/",
            "/a/../b, /b",
            "/a/.., /",
            "/a/b/.., /a/",
            "/a/b/../, /a/",
            "/x/../admin, /admin",
            "/./admin, /admin",
            "/public/%2e%2e/admin, /admin",
            "/public/%2E%2e/admin, /admin",
            "/public/.%2e/admin, /admin",
            "/%2e/a, /a",
            // unreserved characters decoded, other encodings in upper case, nothing decoded twice
            "/%61dmin, /admin",
            "/%61%62c, /abc",
            "/%7e%7E, /~~",
            "/%41%5a%30%2D%5F, /AZ0-_",
            "/caf%c3%a9, /caf%C3%A9",
            "/a%20b, /a%20b",
            "/a%3bb, /a%3Bb",
            "/%252e%252e/x, /%252e%252e/x",
            // path parameters are removed, also from dot-segments
            "/admin;x, /admin",
            "/a;b=c/d, /a/d",
            "/a;b=c;d=e/f;g, /a/f",
            "/public/..;x/admin, /admin",
            "/public/%2e%2e;x/admin, /admin",
            "/;x/admin, /admin",
            "/a/;x, /a/",
            "/admin;jsessionid=0A1B/, /admin/",
            // not dot-segments
            "/..., /...",
            "/.a/b., /.a/b.",
            "/.well-known/x, /.well-known/x",
            "/a..b/c, /a..b/c",
    })
    void normalises(String path, String expected) {
        assertThat(PathNormalizer.normalize(path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/a%2fb | encoded slash or backslash in the path",
            "/a%2Fb | encoded slash or backslash in the path",
            "/%2F | encoded slash or backslash in the path",
            "/a%5cb | encoded slash or backslash in the path",
            "/a%5Cb | encoded slash or backslash in the path",
            "/%00 | encoded control character in the path",
            "/a%0a | encoded control character in the path",
            "/a%0D%0Ab | encoded control character in the path",
            "/%7f | encoded control character in the path",
            "/%zz | bad percent-encoding in the path",
            "/%4 | bad percent-encoding in the path",
            "/a% | bad percent-encoding in the path",
            "/%g1 | bad percent-encoding in the path",
            "/%4/x | bad percent-encoding in the path",
            "/%%41 | bad percent-encoding in the path",
            "/.. | the path climbs above the root",
            "/../a | the path climbs above the root",
            "/a/../.. | the path climbs above the root",
            "/a/%2e%2e/%2e%2e/b | the path climbs above the root",
            "/%2e%2e | the path climbs above the root",
            "/..;x/a | the path climbs above the root",
            "//../a | the path climbs above the root",
            "/a\\b | invalid character in the path",
            "/a#frag | invalid character in the path",
            "/a;x#frag | invalid character in the path",
            "a/b | the path must start with /",
    })
    void refuses(String path, String reason) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a b", "/a\tb", "/\u00e9", "/a\u007fb", "/a\u0000b"})
    void refusesWhatNoPathMayHold(String path) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b/c", "/a/b/", "/v1/users/42", "/a-b_c~d.e", "/a.b/c.d"})
    void pathsWithNothingToChangeComeBackAsTheSameString(String path) {
        assertThat(PathNormalizer.normalize(path)).isSameAs(path);
        String target = path + "?q=1";
        assertThat(PathNormalizer.normalizeTarget(target)).isSameAs(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/x/../admin", "//admin", "/%61dmin", "/admin;x", "/a/./b/%7e/", "/caf%c3%a9//x;p/..", "/.well-known"})
    void normalisingTwiceChangesNothing(String path) {
        String once = PathNormalizer.normalize(path);
        assertThat(PathNormalizer.normalize(once)).isEqualTo(once);
    }

    @Test
    void subDelimitersColonAndAtAreKept() {
        String path = "/a:b@c!$&'()*+=,/d";
        assertThat(PathNormalizer.normalize(path)).isSameAs(path);
        assertThat(PathNormalizer.normalize("/./a:b@c!$&'()*+=,")).isEqualTo("/a:b@c!$&'()*+=,");
    }

    @Test
    void aTargetsQueryIsKeptByteForByte() {
        assertThat(PathNormalizer.normalizeTarget("/a/../%62?x=%2e%2e/../&y=%zz;z#"))
                .isEqualTo("/b?x=%2e%2e/../&y=%zz;z#");
        assertThat(PathNormalizer.normalizeTarget("//a?")).isEqualTo("/a?");
        assertThat(PathNormalizer.normalizeTarget("/a;p?q")).isEqualTo("/a?q");
    }

    @Test
    void theAsteriskTargetStaysAndOtherTargetsAreRefusedAsPaths() {
        assertThat(PathNormalizer.normalizeTarget("*")).isEqualTo("*");
        assertThatThrownBy(() -> PathNormalizer.normalizeTarget("/../x?y")).hasMessage("the path climbs above the root");
        assertThatThrownBy(() -> PathNormalizer.normalizeTarget("?x")).hasMessage("the path must start with /");
        assertThatThrownBy(() -> PathNormalizer.normalize(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PathNormalizer.normalizeTarget(null)).isInstanceOf(NullPointerException.class);
    }
}
