package io.gatehouse.server.listener;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.tls.TestCertificates;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client certificates (mTLS): required and optional listeners, the verified certificate visible to
 * filters ({@code Keys.CLIENT_CERTIFICATE}) and forwarded in the configured field, client copies of
 * that field removed, unknown client certificates refused.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MutualTlsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static TestCertificates.Generated serverCertificate;
    private static TestCertificates.Generated client;
    private static TestCertificates.Generated stranger;
    private static TestOrigin origin;
    private static GatehouseServer server;

    /** {@code client-names}: puts the certificate's DNS names the filter sees into {@code X-Filter-Saw}. */
    static final class ClientNames implements ProxyFilterFactory<String> {
        @Override
        public String type() {
            return "client-names";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    exchange.request().headers().set("X-Filter-Saw", exchange.attribute(Keys.CLIENT_CERTIFICATE)
                            .map(c -> String.join(",", c.dnsNames())).orElse("none"));
                    return FilterResult.proceed();
                }
            };
        }
    }

    /** Presents its one certificate whatever CAs the server asks for (the JDK's own would send none for a stranger). */
    static final class Presenting extends javax.net.ssl.X509ExtendedKeyManager {
        private final javax.net.ssl.X509ExtendedKeyManager keys;

        Presenting(javax.net.ssl.X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
            return "me";
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return "me";
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {"me"};
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return null;
        }

        @Override
        public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        serverCertificate = TestCertificates.selfSigned(dir, "server", "EC", "127.0.0.1");
        TestCertificates.Generated clientCa = TestCertificates.selfSigned(dir, "client-ca", "EC");
        client = TestCertificates.signedBy(dir, clientCa, "billing", "billing.internal");
        stranger = TestCertificates.selfSigned(dir, "stranger", "EC", "stranger.internal");
        Files.writeString(dir.resolve("client-ca.pem"), TestCertificates.pem("CERTIFICATE", clientCa.leaf().getEncoded()));
        origin = TestOrigin.start(request -> Reply.ok(request.header("X-Client-Subject").orElse("-") + " | "
                + request.header("X-Filter-Saw").orElse("-")));
        String yaml = """
                server:
                  upstream: %s
                  listen:
                    - address: "127.0.0.1:0"
                      tls:
                        certificate: server.crt.pem
                        key: server.key.pem
                        client-auth: { mode: required, trusted-certificates: client-ca.pem, forward-header: X-Client-Subject }
                    - address: "127.0.0.1:0"
                      tls:
                        certificate: server.crt.pem
                        key: server.key.pem
                        client-auth: { mode: optional, trusted-certificates: client-ca.pem, forward-header: X-Client-Subject }
                    - address: "127.0.0.1:0"
                      http2: false
                      tls:
                        certificate: server.crt.pem
                        key: server.key.pem
                        client-auth: { mode: required, trusted-certificates: client-ca.pem }
                plugins: { directory: plugins }
                filters: [ { type: client-names } ]
                """.formatted(origin.url());
        server = GatehouseServer.start(new ConfigLoader(dir).parse(yaml, "mtls.yaml"), List.of(new ClientNames()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        if (origin != null) {
            origin.close();
        }
    }

    private static HttpResponse<String> get(int listener, TestCertificates.Generated as, String forgedSubject) throws Exception {
        return get(listener, as, forgedSubject, HttpClient.Version.HTTP_2);
    }

    private static HttpResponse<String> get(int listener, TestCertificates.Generated as, String forgedSubject,
                                            HttpClient.Version version) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", serverCertificate.leaf());
        TrustManagerFactory trustFactory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustFactory.init(trust);
        KeyManagerFactory keyFactory = null;
        if (as != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("me", as.key(), TestCertificates.PASSWORD.toCharArray(), as.chain().toArray(new Certificate[0]));
            keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyFactory.init(keys, TestCertificates.PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        javax.net.ssl.KeyManager[] keyManagers = keyFactory == null ? null
                : new javax.net.ssl.KeyManager[] {new Presenting((javax.net.ssl.X509ExtendedKeyManager) keyFactory.getKeyManagers()[0])};
        context.init(keyManagers, trustFactory.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().version(version).sslContext(context).connectTimeout(WAIT).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + server.addresses().get(listener).getPort() + "/mtls")).timeout(WAIT);
        if (forgedSubject != null) {
            request.header("X-Client-Subject", forgedSubject);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aVerifiedClientIsSeenByFiltersAndNamedToTheOrigin() throws Exception {
        HttpResponse<String> response = get(0, client, "CN=admin");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("CN=billing | billing.internal");
    }

    @Test
    void aRequiredListenerRefusesClientsWithoutOrWithAnUnknownCertificate() {
        assertThatThrownBy(() -> get(0, null, null)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(0, stranger, null)).isInstanceOf(IOException.class);
    }

    @Test
    void anOptionalListenerServesClientsWithoutACertificateAndRemovesForgedSubjects() throws Exception {
        HttpResponse<String> anonymous = get(1, null, "CN=admin");
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).isEqualTo("- | none");

        assertThat(get(1, client, null).body()).isEqualTo("CN=billing | billing.internal");
        assertThatThrownBy(() -> get(1, stranger, null)).as("a certificate presented must be valid").isInstanceOf(IOException.class);
    }

    @Test
    void overHttp11WithoutAForwardedFieldFiltersStillSeeTheCertificate() throws Exception {
        HttpResponse<String> response = get(2, client, null, HttpClient.Version.HTTP_1_1);

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).as("no subject field configured; the filter saw the certificate").isEqualTo("- | billing.internal");
    }
}
