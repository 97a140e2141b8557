package io.gatehouse.server.config;

import io.gatehouse.api.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code server.listen} in its two shapes, TLS settings, {@code server.upstream-tls}, and the errors naming their keys. */
class ListenerConfigsTest {

    private static final Path BASE = Path.of("/etc/gatehouse");

    private static GatehouseConfig load(String yaml) {
        return new ConfigLoader(BASE).parse(yaml, "test.yaml");
    }

    @Test
    void plainStringsAndMappingsMix() {
        GatehouseConfig config = load("""
                server:
                  listen:
                    - "127.0.0.1:8080"
                    - address: "0.0.0.0:8443"
                      tls: { certificate: certs/site.pem, key: /keys/site.key }
                    - { address: ":8081", http2: true }
                    - { address: ":80", redirect-to-https: 8443 }
                """);

        List<ListenerSpec> listeners = config.listen();
        assertThat(config.listenAddresses()).containsExactly(new InetSocketAddress("127.0.0.1", 8080),
                new InetSocketAddress("0.0.0.0", 8443), new InetSocketAddress("0.0.0.0", 8081), new InetSocketAddress("0.0.0.0", 80));
        assertThat(listeners.get(0)).isEqualTo(ListenerSpec.plain("server.listen[0]", new InetSocketAddress("127.0.0.1", 8080)));
        TlsSettings tls = listeners.get(1).tls().orElseThrow();
        assertThat(listeners.get(1).http2()).as("h2 by ALPN by default").isTrue();
        assertThat(listeners.get(1).scheme()).isEqualTo("https");
        assertThat(tls.certificates()).containsExactly(new CertificateSource.Pem("server.listen[1].tls",
                BASE.resolve("certs/site.pem"), Path.of("/keys/site.key")));
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.ciphers()).first().isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(tls.ciphers()).allMatch(c -> c.contains("GCM") || c.contains("CHACHA20"));
        assertThat(tls.hsts()).isEmpty();
        assertThat(listeners.get(2).http2()).isTrue();
        assertThat(listeners.get(2).tls()).isEmpty();
        assertThat(listeners.get(3).redirectToHttps()).hasValue(8443);
    }

    @Test
    void aSingleListenerMappingNeedsNoList() {
        GatehouseConfig config = load("server: { listen: { address: \"127.0.0.1:9443\", tls: { keystore: a.p12, password: s } } }");
        assertThat(config.listen()).hasSize(1);
        assertThat(config.listen().get(0).tls().orElseThrow().certificates())
                .containsExactly(new CertificateSource.Pkcs12("server.listen[0].tls", BASE.resolve("a.p12"), "s"));
    }

    @Test
    void severalCertificatesProtocolsCiphersAndHsts() {
        TlsSettings tls = load("""
                server:
                  listen:
                    - address: ":443"
                      tls:
                        certificates:
                          - { certificate: a.pem, key: a.key }
                          - { keystore: b.p12, password: pw }
                        protocols: [TLSv1.3]
                        ciphers: [TLS_AES_256_GCM_SHA384]
                        unknown-server-name: reject
                        hsts: { max-age: 365d, include-subdomains: true, preload: true }
                """).listen().get(0).tls().orElseThrow();

        assertThat(tls.certificates()).hasSize(2);
        assertThat(tls.certificates().get(1).key()).isEqualTo("server.listen[0].tls.certificates[1]");
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.ciphers()).containsExactly("TLS_AES_256_GCM_SHA384");
        assertThat(tls.rejectUnknownServerName()).isTrue();
        assertThat(tls.hsts()).hasValue("max-age=31536000; includeSubDomains; preload");
    }

    @Test
    void clientAuthIsRequiredByDefaultAndNamesItsCaAndHeader() {
        TlsSettings tls = load("server: { listen: [ { address: \":443\", tls: { certificate: a.pem, "
                + "client-auth: { trusted-certificates: clients.pem, forward-header: X-Client-Subject } } } ] }")
                .listen().get(0).tls().orElseThrow();

        assertThat(tls.clientAuth()).hasValue(new ClientAuth("server.listen[0].tls.client-auth", true,
                BASE.resolve("clients.pem"), Optional.of("X-Client-Subject")));
        assertError("server: { listen: [ { address: \":443\", tls: { certificate: a.pem, client-auth: { mode: maybe, "
                + "trusted-certificates: c.pem } } } ] }", "server.listen[0].tls.client-auth.mode", "expected required or optional");
        assertError("server: { listen: [ { address: \":443\", tls: { certificate: a.pem, client-auth: { mode: optional } } } ] }",
                "server.listen[0].tls.client-auth.trusted-certificates", "");
    }

    @Test
    void tlsBuffersAreAutoUnlessTakenOnDemandOrKeptPerConnection() {
        assertThat(load("server: { listen: [ { address: \":443\", tls: { certificate: a.pem } } ] }")
                .listen().get(0).tls().orElseThrow().buffers()).isEqualTo(TlsBuffers.AUTO);
        assertThat(load("server: { listen: [ { address: \":443\", tls: { certificate: a.pem, buffers: on-demand } } ] }")
                .listen().get(0).tls().orElseThrow().buffers()).isEqualTo(TlsBuffers.ON_DEMAND);
        assertThat(load("server: { listen: [ { address: \":443\", tls: { certificate: a.pem, buffers: per-connection } } ] }")
                .listen().get(0).tls().orElseThrow().buffers()).isEqualTo(TlsBuffers.PER_CONNECTION);
        assertError("server: { listen: [ { address: \":443\", tls: { certificate: a.pem, buffers: big } } ] }",
                "server.listen[0].tls.buffers", "expected auto, on-demand or per-connection");
    }

    @Test
    void anEmptyHstsMappingMeansTheDefaults() {
        assertThat(load("server: { listen: [ { address: \":443\", tls: { certificate: a.pem, hsts: {} } } ] }")
                .listen().get(0).tls().orElseThrow().hsts()).hasValue("max-age=31536000");
    }

    @Test
    void upstreamTlsTrustsTheSystemStoreUnlessACaBundleIsGiven() {
        assertThat(load("server: {}").upstreamPool().tls().trustedCertificates()).isEmpty();
        assertThat(load("server: { upstream-tls: { trusted-certificates: ca.pem } }").upstreamPool().tls())
                .isEqualTo(new UpstreamTls("server.upstream-tls", Optional.of(BASE.resolve("ca.pem")), Optional.empty()));
    }

    @Test
    void upstreamTlsMayGiveAClientCertificateForOriginsThatAskForOne() {
        assertThat(load("server: { upstream-tls: { certificate: client.pem, key: client.key } }").upstreamPool().tls()
                .clientCertificate()).hasValue(new CertificateSource.Pem("server.upstream-tls", BASE.resolve("client.pem"),
                        BASE.resolve("client.key")));
        assertError("server: { upstream-tls: { certificate: c.pem, keystore: c.p12 } }", "server.upstream-tls.keystore",
                "not both");
    }

    @Test
    void errorsNameTheFullKey() {
        assertError("server: { listen: [ { address: \":443\", tls: { } } ] }", "server.listen[0].tls.certificate",
                "a TLS listener needs a certificate");
        assertError("server: { listen: [ \":80\", { address: \":443\", tls: { certificate: a.pem }, colour: red } ] }",
                "server.listen[1].colour", "unknown key");
        assertError("server: { listen: [ { address: \":443\", tls: { certificate: a.pem, protocols: [TLSv1.1] } } ] }",
                "server.listen[0].tls.protocols[0]", "expected TLSv1.3 or TLSv1.2");
        assertError("server: { listen: [ { address: \":443\", tls: { certificate: a.pem, keystore: b.p12 } } ] }",
                "server.listen[0].tls.keystore", "not both");
        assertError("server: { listen: [ { address: \":443\", tls: { certificate: a.pem, unknown-server-name: drop } } ] }",
                "server.listen[0].tls.unknown-server-name", "expected default or reject");
        assertError("server: { listen: [ { address: \":443\", tls: { certificate: a.pem }, redirect-to-https: 443 } ] }",
                "server.listen[0].redirect-to-https", "cannot redirect");
        assertError("server: { listen: [ { tls: { certificate: a.pem } } ] }", "server.listen[0].address", "");
        assertError("server: { listen: [ { address: \"nohost\" } ] }", "server.listen[0].address", "expected host:port");
        assertError("server: { upstream-tls: { verify: false } }", "server.upstream-tls.verify", "unknown key");
    }

    private static void assertError(String yaml, String key, String message) {
        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key + ":")
                .hasMessageContaining(message);
    }
}
