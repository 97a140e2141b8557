package io.gatehouse.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamTest {

    @Test
    void parsesHostAndPort() {
        Upstream upstream = Upstream.parse("http://127.0.0.1:8080");
        assertThat(upstream.scheme()).isEqualTo("http");
        assertThat(upstream.host()).isEqualTo("127.0.0.1");
        assertThat(upstream.port()).isEqualTo(8080);
        assertThat(upstream.authority()).isEqualTo("127.0.0.1:8080");
        assertThat(upstream).hasToString("http://127.0.0.1:8080");
    }

    @Test
    void defaultPortIs80() {
        Upstream upstream = Upstream.parse("http://backend.internal");
        assertThat(upstream.host()).isEqualTo("backend.internal");
        assertThat(upstream.port()).isEqualTo(80);
        assertThat(upstream.authority()).isEqualTo("backend.internal:80");
    }

    @Test
    void trailingSlashAndWhitespaceAndSchemeCaseTolerated() {
        assertThat(Upstream.parse(" HTTP://example.com:81/ ")).isEqualTo(new Upstream("http", "example.com", 81));
    }

    @Test
    void ipv6LiteralLosesBracketsInHostButKeepsThemInAuthority() {
        Upstream upstream = Upstream.parse("http://[::1]:9000");
        assertThat(upstream.host()).isEqualTo("::1");
        assertThat(upstream.port()).isEqualTo(9000);
        assertThat(upstream.authority()).isEqualTo("[::1]:9000");
        assertThat(upstream).hasToString("http://[::1]:9000");
    }

    @Test
    void recordEquality() {
        assertThat(Upstream.parse("http://a:1")).isEqualTo(new Upstream("HTTP", "a", 1));
        assertThat(Upstream.parse("http://a:1")).isNotEqualTo(Upstream.parse("http://a:2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1:8080/api",
        "http://127.0.0.1:8080?x=1",
        "http://127.0.0.1:8080/?x=1",
        "http://127.0.0.1:8080#top",
        "http://user:pw@127.0.0.1:8080",
        "http://user@127.0.0.1",
    })
    void rejectsAnythingButAnOrigin(String url) {
        assertThatThrownBy(() -> Upstream.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without path")
                .hasMessageContaining(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1:21", "127.0.0.1:8080", "example.com",
        "http://", "http://127.0.0.1:0", "http://127.0.0.1:65536", "not a url", "http:///path"})
    void rejectsOtherSchemesBadPortsAndNonUrls(String url) {
        assertThatThrownBy(() -> Upstream.parse(url)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void http2SchemesNameTheProtocolAndTheResourceScheme() {
        Upstream cleartext = Upstream.parse("h2c://grpc.internal");
        assertThat(cleartext).isEqualTo(new Upstream("h2c", "grpc.internal", 80));
        assertThat(cleartext.http2()).isTrue();
        assertThat(cleartext.tls()).isFalse();
        assertThat(cleartext.httpScheme()).isEqualTo("http");
        Upstream secured = Upstream.parse("H2://grpc.internal");
        assertThat(secured).isEqualTo(new Upstream("h2", "grpc.internal", 443));
        assertThat(secured.http2()).isTrue();
        assertThat(secured.tls()).isTrue();
        assertThat(secured.httpScheme()).isEqualTo("https");
        assertThat(Upstream.parse("https://a:1").http2()).isFalse();
        assertThat(Upstream.parse("http://a:1").httpScheme()).isEqualTo("http");
        assertThat(secured).hasToString("h2://grpc.internal:443");
    }

    @Test
    void httpsUpstreamsDefaultToPort443() {
        assertThat(Upstream.parse("https://api.example")).isEqualTo(new Upstream("https", "api.example", 443));
        assertThat(Upstream.parse("HTTPS://10.0.0.1:8443")).isEqualTo(new Upstream("https", "10.0.0.1", 8443));
        assertThat(Upstream.parse("http://api.example").port()).isEqualTo(80);
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertThatThrownBy(() -> Upstream.parse("ftp://h:21"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upstreams are http, https, h2c or h2 URLs")
                .hasMessageContaining("ftp");
        assertThatThrownBy(() -> Upstream.parse("http://h:0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port out of range: 0");
    }

    @Test
    void constructorValidates() {
        assertThatThrownBy(() -> new Upstream("http", "", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Upstream("http", "h", 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Upstream(null, "h", 80)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Upstream("http", null, 80)).isInstanceOf(NullPointerException.class);
        assertThat(new Upstream("http", "h", 65535).port()).isEqualTo(65535);
        assertThat(new Upstream("http", "h", 1).port()).isEqualTo(1);
    }

    @org.junit.jupiter.api.Test
    void containerHostNamesWithUnderscoresAreAccepted() {
        Upstream upstream = Upstream.parse("http://my_service:8080");

        org.assertj.core.api.Assertions.assertThat(upstream.host()).isEqualTo("my_service");
        org.assertj.core.api.Assertions.assertThat(upstream.port()).isEqualTo(8080);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Upstream.parse("http://my_service:x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
