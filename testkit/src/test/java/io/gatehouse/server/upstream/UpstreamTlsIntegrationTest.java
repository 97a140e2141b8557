package io.gatehouse.server.upstream;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.gatehouse.server.tls.TestCertificates;
import io.gatehouse.testkit.EmbeddedGatehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code https} upstreams: the origin's certificate verified against a configured CA, its name
 * against the upstream host, SNI sent; an untrusted or misnamed origin certificate gets 502.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class UpstreamTlsIntegrationTest {

    @TempDir
    static Path dir;
    private static HttpsServer origin;
    /** An origin that requires a client certificate signed by {@code clientCa}. */
    private static HttpsServer mutualOrigin;
    private static TestCertificates.Generated clientLeaf;
    private static final List<String> serverNames = new CopyOnWriteArrayList<>();
    private static Path caPem;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates.Generated ca = TestCertificates.selfSigned(dir, "origin-ca", "EC");
        TestCertificates.Generated leaf = TestCertificates.signedBy(dir, ca, "origin", "localhost");
        caPem = dir.resolve("origin-ca.pem");
        Files.writeString(caPem, TestCertificates.pem("CERTIFICATE", ca.leaf().getEncoded()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("origin", leaf.key(), TestCertificates.PASSWORD.toCharArray(), leaf.chain().toArray(new Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, TestCertificates.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        origin = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.setHttpsConfigurator(new HttpsConfigurator(context));
        origin.createContext("/", exchange -> {
            ExtendedSSLSession session = (ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession();
            for (SNIServerName name : session.getRequestedServerNames()) {
                serverNames.add(((SNIHostName) name).getAsciiName());
            }
            byte[] body = ("secure " + exchange.getRequestURI() + " via " + exchange.getRequestHeaders().getFirst("Via"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();

        TestCertificates.Generated clientCa = TestCertificates.selfSigned(dir, "client-ca", "EC");
        clientLeaf = TestCertificates.signedBy(dir, clientCa, "proxy-client", "gatehouse");
        KeyStore clientTrust = KeyStore.getInstance("PKCS12");
        clientTrust.load(null, null);
        clientTrust.setCertificateEntry("client-ca", clientCa.leaf());
        TrustManagerFactory trustClients = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustClients.init(clientTrust);
        SSLContext mutual = SSLContext.getInstance("TLS");
        mutual.init(factory.getKeyManagers(), trustClients.getTrustManagers(), null);
        mutualOrigin = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mutualOrigin.setHttpsConfigurator(new HttpsConfigurator(mutual) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = mutual.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        mutualOrigin.createContext("/", exchange -> {
            String subject = ((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName();
            byte[] body = ("client " + subject).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        mutualOrigin.start();
    }

    @AfterAll
    static void stop() {
        if (origin != null) {
            origin.stop(0);
        }
        if (mutualOrigin != null) {
            mutualOrigin.stop(0);
        }
    }

    private static EmbeddedGatehouse proxy(String upstream, String upstreamTls) {
        return EmbeddedGatehouse.builder()
                .config("server: { upstream: \"" + upstream + "\"" + upstreamTls + " }\nplugins: { directory: \""
                        + dir.resolve("plugins") + "\" }\n")
                .start();
    }

    @Test
    void anHttpsOriginVerifiedByTheConfiguredCaGetsTheRequestWithSni() {
        try (EmbeddedGatehouse proxy = proxy("https://localhost:" + origin.getAddress().getPort(),
                ", upstream-tls: { trusted-certificates: \"" + caPem + "\" }")) {
            HttpResponse<String> response = proxy.get("/hello?x=1");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("secure /hello?x=1 via 1.1 gatehouse");
            assertThat(serverNames).contains("localhost");
            assertThat(proxy.get("/again").statusCode()).as("a pooled TLS connection is reused").isEqualTo(200);
        }
    }

    @Test
    void anOriginAskingForAClientCertificateGetsTheConfiguredOne() {
        String trust = ", upstream-tls: { trusted-certificates: \"" + caPem + "\"";
        String url = "https://localhost:" + mutualOrigin.getAddress().getPort();
        try (EmbeddedGatehouse proxy = proxy(url, trust + ", certificate: \"" + clientLeaf.certificatePem()
                + "\", key: \"" + clientLeaf.keyPem() + "\" }")) {
            HttpResponse<String> response = proxy.get("/who");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("client CN=proxy-client");
        }
        try (EmbeddedGatehouse proxy = proxy(url, trust + " }")) {
            assertThat(proxy.get("/who").statusCode()).as("no client certificate: the handshake fails").isEqualTo(502);
        }
    }

    @Test
    void anOriginCertificateOutsideTheTrustStoreGets502() {
        try (EmbeddedGatehouse proxy = proxy("https://localhost:" + origin.getAddress().getPort(), "")) {
            assertThat(proxy.get("/untrusted").statusCode()).isEqualTo(502);
        }
    }

    @Test
    void anOriginCertificateForAnotherNameGets502() {
        try (EmbeddedGatehouse proxy = proxy("https://127.0.0.1:" + origin.getAddress().getPort(),
                ", upstream-tls: { trusted-certificates: \"" + caPem + "\" }")) {
            assertThat(proxy.get("/misnamed").statusCode()).isEqualTo(502);
        }
    }
}
