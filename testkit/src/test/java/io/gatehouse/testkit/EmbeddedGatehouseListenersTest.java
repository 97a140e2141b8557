package io.gatehouse.testkit;

import io.gatehouse.server.tls.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kit with the configuration's own listeners: a filter tested over TLS and HTTP/2 and over plain HTTP/1.1. */
class EmbeddedGatehouseListenersTest {

    @TempDir
    Path dir;

    @Test
    void aFilterRunsForHttp2OverTlsAndForPlainHttpOnTheConfiguredListeners() throws Exception {
        TestCertificates.Generated certificate = TestCertificates.selfSigned(dir, "kit", "EC", "127.0.0.1");
        try (TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
                     .config("""
                             server:
                               listen:
                                 - { address: "127.0.0.1:0", tls: { certificate: "%s", key: "%s" } }
                                 - "127.0.0.1:0"
                             filters: [ { type: mark, config: { label: a } } ]
                             """.formatted(certificate.certificatePem(), certificate.keyPem()))
                     .filters(new TestFilterFactories.Mark())
                     .upstream(origin)
                     .listenersAsConfigured()
                     .start()) {
            assertThat(gatehouse.addresses()).hasSize(2);
            assertThat(gatehouse.uri("/p").toString()).isEqualTo("https://127.0.0.1:" + gatehouse.port() + "/p");

            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TestCertificates.trusting(certificate.leaf()))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> secure = h2.send(HttpRequest.newBuilder(gatehouse.uri("/over-h2"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(secure.statusCode()).isEqualTo(200);
            assertThat(secure.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(secure.headers().allValues("X-Trail")).containsExactly("a");
            assertThat(origin.lastRequest().header("X-Forwarded-Proto")).hasValue("https");

            InetSocketAddress plain = gatehouse.addresses().get(1);
            HttpResponse<String> cleartext = gatehouse.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + plain.getPort() + "/plain")).timeout(Duration.ofSeconds(20)).build());
            assertThat(cleartext.statusCode()).isEqualTo(200);
            assertThat(cleartext.headers().allValues("X-Trail")).containsExactly("a");
            assertThat(origin.lastRequest().header("X-Forwarded-Proto")).hasValue("http");
        }
    }

    @Test
    void aPortAndTheConfiguredListenersExcludeEachOther() {
        assertThatThrownBy(() -> EmbeddedGatehouse.builder().port(8080).listenersAsConfigured().start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other");
    }
}
