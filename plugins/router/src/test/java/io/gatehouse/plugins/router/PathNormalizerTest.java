package io.gatehouse.plugins.router;

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
            "//, /",
            "/a//b, /a/b",
            "//admin, /admin",
            "/a/./b, /a/b",
            "/./, /",
            "/a/./, /a/",
            "/a/., /a/",
            "/a/../b, /b",
            "/a/.., /",
            "/a/b/.., /a/",
            "/a/b/../, /a/",
            "/public/%2e%2e/admin, /admin",
            "/public/%2E%2e/admin, /admin",
            "/public/.%2e/admin, /admin",
            "/%2e/a, /a",
            "/%61%62c, /abc",
            "/%7e%7E, /~~",
            "/caf%c3%a9, /caf%C3%A9",
            "/a%20b, /a%20b",
            "/%252e%252e/x, /%252e%252e/x",
            "/a;b=c/d, /a;b=c/d",
            "/..., /...",
            "/.a/b., /.a/b.",
            "/.well-known/x, /.well-known/x",
    })
    void normalises(String path, String expected) {
        assertThat(PathNormalizer.normalize(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/a%2fb", "/a%2Fb", "/%2F", "/a%5cb", "/a%5Cb", "/a\\b", "/%00", "/a%0a", "/%7f",
            "/%zz", "/%4", "/a%", "/%g1",
            "/..", "/../a", "/a/../..", "/a/%2e%2e/%2e%2e/b", "/%2e%2e",
            "a/b", "", "/a b", "/\u00e9",
    })
    void refuses(String path) {
        assertThatThrownBy(() -> PathNormalizer.normalize(path)).isInstanceOf(BadPathException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b/c", "/a/b/", "/v1/users/42", "/a-b_c~d.e"})
    void plainPathsComeBackAsTheSameString(String path) {
        assertThat(PathNormalizer.normalize(path)).isSameAs(path);
    }
}
