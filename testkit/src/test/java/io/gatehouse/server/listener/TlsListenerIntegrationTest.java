package io.gatehouse.server.listener;

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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS listeners with real clients: HTTP/2 and HTTP/1.1 over TLS (ALPN) with the JDK's client,
 * the certificate chosen by SNI (exact, wildcard, default), HSTS and {@code X-Forwarded-Proto},
 * TLS 1.1 and plain HTTP refused on the TLS port, h2c with prior knowledge (curl), and the
 * redirect listener.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsListenerIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static TestCertificates.Generated fallback;
    private static TestCertificates.Generated wildcard;
    private static TestCertificates.Generated ca;
    private static TestCertificates.Generated site;
    private static TestOrigin origin;
    private static GatehouseServer server;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        fallback = TestCertificates.selfSigned(dir, "default", "RSA", "default.test", "127.0.0.1");
        wildcard = TestCertificates.selfSigned(dir, "wild", "EC", "*.wild.test");
        ca = TestCertificates.selfSigned(dir, "ca", "EC");
        site = TestCertificates.signedBy(dir, ca, "site", "site.test");
        origin = TestOrigin.start(request -> Reply.ok("proto=" + request.header("X-Forwarded-Proto").orElse("-")
                + " host=" + request.header("Host").orElse("-")));
        String yaml = """
                server:
                  upstream: %s
                  listen:
                    - address: "127.0.0.1:0"
                      tls:
                        certificates:
                          - { certificate: default.crt.pem, key: default.key.pem }
                          - { keystore: wild.p12, password: changeit }
                          - { certificate: site.crt.pem, key: site.key.pem }
                        hsts: { max-age: 1d, include-subdomains: true }
                    - { address: "127.0.0.1:0", http2: true }
                    - { address: "127.0.0.1:0", redirect-to-https: 8443 }
                    - { address: "127.0.0.1:0", tls: { certificate: default.crt.pem, key: default.key.pem, buffers: per-connection } }
                plugins: { directory: plugins }
                """.formatted(origin.url());
        server = GatehouseServer.start(new ConfigLoader(dir).parse(yaml, "tls.yaml"), List.of());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("default", fallback.leaf());
        trust.setCertificateEntry("ca", ca.leaf());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, factory.getTrustManagers(), null);
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

    private static int tlsPort() {
        return server.addresses().get(0).getPort();
    }

    private static int h2cPort() {
        return server.addresses().get(1).getPort();
    }

    private static int redirectPort() {
        return server.addresses().get(2).getPort();
    }

    private static HttpResponse<String> get(HttpClient.Version version, URI uri) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(version).sslContext(trusting).connectTimeout(WAIT).build();
        return client.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void http2OverTlsIsNegotiatedByAlpnAndProxied() throws Exception {
        HttpResponse<String> response = get(HttpClient.Version.HTTP_2, URI.create("https://127.0.0.1:" + tlsPort() + "/h2"));

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("proto=https host=127.0.0.1:" + tlsPort());
        assertThat(response.headers().firstValue("strict-transport-security")).hasValue("max-age=86400; includeSubDomains");
    }

    @Test
    void aListenerWithPerConnectionBuffersServesBothProtocols() throws Exception {
        int port = server.addresses().get(3).getPort();
        for (HttpClient.Version version : HttpClient.Version.values()) {
            for (int i = 0; i < 3; i++) { // several exchanges on the connection, each through the same buffers
                HttpResponse<String> response = get(version, URI.create("https://127.0.0.1:" + port + "/kept" + i));
                assertThat(response.version()).isEqualTo(version);
                assertThat(response.body()).isEqualTo("proto=https host=127.0.0.1:" + port);
            }
        }
    }

    @Test
    void http11OverTlsTakesTheSamePath() throws Exception {
        HttpResponse<String> response = get(HttpClient.Version.HTTP_1_1, URI.create("https://127.0.0.1:" + tlsPort() + "/h1"));

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("proto=https host=127.0.0.1:" + tlsPort());
        assertThat(response.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=86400; includeSubDomains");
    }

    @Test
    void sniChoosesTheCertificateByExactNameWildcardOrDefault() throws Exception {
        assertThat(peerChain("site.test")).containsExactly(site.chain().toArray(new Certificate[0]));
        assertThat(peerChain("a.wild.test")[0]).isEqualTo(wildcard.leaf());
        assertThat(peerChain("b.a.wild.test")[0]).as("a wildcard covers one label").isEqualTo(fallback.leaf());
        assertThat(peerChain("unknown.test")[0]).isEqualTo(fallback.leaf());
        assertThat(peerChain(null)[0]).isEqualTo(fallback.leaf());
    }

    @Test
    void curlOverHttp2WithSniVerifiesTheChosenCertificate() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("ca.pem"), TestCertificates.pem("CERTIFICATE", ca.leaf().getEncoded()));
        String out = curl("--http2", "--cacert", dir.resolve("ca.pem").toString(), "--resolve",
                "site.test:" + tlsPort() + ":127.0.0.1", "https://site.test:" + tlsPort() + "/curl");

        assertThat(out).isEqualTo("proto=https host=site.test:" + tlsPort() + "\n2");
    }

    @Test
    void tls11IsRefused() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", tlsPort()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(clientHello(0x0302));
            byte[] answer = readUntilClosed(socket.getInputStream(), 64);

            assertThat(answer).as("no ServerHello").isNotEmpty();
            assertThat(answer[0]).as("a TLS alert record").isEqualTo((byte) 0x15);
            assertThat(answer[6]).as("protocol_version alert").isEqualTo((byte) 70);
        }
    }

    @Test
    void aTls12ClientHelloOfTheSameShapeIsAnswered() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", tlsPort()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(clientHello(0x0303));
            byte[] answer = socket.getInputStream().readNBytes(1);

            assertThat(answer).as("a handshake record: ServerHello").containsExactly(0x16);
        }
    }

    @Test
    void plainHttpToTheTlsPortIsClosedWithoutAnHttpAnswer() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", tlsPort()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = readUntilClosed(socket.getInputStream(), 4096);

            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/");
        }
        assertThat(get(HttpClient.Version.HTTP_2, URI.create("https://127.0.0.1:" + tlsPort() + "/after")).statusCode())
                .as("the listener still serves").isEqualTo(200);
    }

    @Test
    void h2cWithPriorKnowledgeAndHttp11ShareTheCleartextListener() throws Exception {
        String out = curl("--http2-prior-knowledge", "http://127.0.0.1:" + h2cPort() + "/h2c");
        assertThat(out).isEqualTo("proto=http host=127.0.0.1:" + h2cPort() + "\n2");

        HttpResponse<String> http11 = get(HttpClient.Version.HTTP_1_1, URI.create("http://127.0.0.1:" + h2cPort() + "/h1"));
        assertThat(http11.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(http11.body()).isEqualTo("proto=http host=127.0.0.1:" + h2cPort());
        assertThat(http11.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void theRedirectListenerSendsEveryRequestToHttps() throws Exception {
        int before = origin.requestCount();
        HttpResponse<String> response = get(HttpClient.Version.HTTP_1_1,
                URI.create("http://127.0.0.1:" + redirectPort() + "/a/b?c=d"));

        assertThat(response.statusCode()).isEqualTo(308);
        assertThat(response.headers().firstValue("Location")).hasValue("https://127.0.0.1:8443/a/b?c=d");
        assertThat(origin.requestCount()).isEqualTo(before);
    }

    private static Certificate[] peerChain(String serverName) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
        try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", tlsPort()), 5000);
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket.getSession().getPeerCertificates();
        }
    }

    /** A minimal ClientHello offering {@code version} and two AES-GCM suites, without extensions beyond SNI-less basics. */
    static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        body.writeBytes(new byte[32]); // random
        body.write(0); // session id
        int[] suites = {0xC02F, 0xC02B, 0xC013, 0x002F};
        body.write(0);
        body.write(suites.length * 2);
        for (int suite : suites) {
            body.write(suite >> 8);
            body.write(suite);
        }
        body.write(1); // compression methods
        body.write(0);
        // extensions: supported_groups (secp256r1) and signature_algorithms (rsa_pkcs1_sha256, ecdsa_secp256r1_sha256)
        byte[] extensions = {0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,
                0x00, 0x0d, 0x00, 0x06, 0x00, 0x04, 0x04, 0x01, 0x04, 0x03,
                0x00, 0x0b, 0x00, 0x02, 0x01, 0x00};
        body.write(extensions.length >> 8);
        body.write(extensions.length);
        body.writeBytes(extensions);
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 0x03, 0x01});
        int handshakeLength = hello.length + 4;
        record.write(handshakeLength >> 8);
        record.write(handshakeLength);
        record.write(1); // client_hello
        record.write(0);
        record.write(hello.length >> 8);
        record.write(hello.length);
        record.writeBytes(hello);
        return record.toByteArray();
    }

    private static byte[] readUntilClosed(InputStream in, int max) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int n; read.size() < max && (n = in.read(buffer)) >= 0; ) {
                read.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset is a close too
        }
        return read.toByteArray();
    }

    static String curl(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-w", "\\n%{http_version}"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("curl ended").isTrue();
        return new String(output, StandardCharsets.UTF_8);
    }

    /** Accepts any server certificate: the tests check the peer certificate themselves. */
    static final class TrustAll implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
