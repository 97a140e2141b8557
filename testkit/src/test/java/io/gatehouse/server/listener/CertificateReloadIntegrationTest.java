package io.gatehouse.server.listener;

import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.tls.TestCertificates;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Certificates replaced on disk are served to new handshakes within seconds, while requests keep
 * flowing without a failure and an open connection stays usable; a broken file keeps the last good
 * certificate; a TLS listener a reload added is watched as well.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CertificateReloadIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void replacedFilesAreServedWithoutDroppingConnectionsOrFailingRequests() throws Exception {
        TestCertificates.Generated first = TestCertificates.selfSigned(dir, "first", "RSA", "127.0.0.1");
        TestCertificates.Generated second = TestCertificates.selfSigned(dir, "second", "RSA", "127.0.0.1");
        Path liveCertificate = dir.resolve("live.crt.pem");
        Path liveKey = dir.resolve("live.key.pem");
        Files.copy(first.certificatePem(), liveCertificate);
        Files.copy(first.keyPem(), liveKey);
        SSLContext trusting = trusting(first, second);

        try (TestOrigin origin = TestOrigin.start(Reply.ok("ok"))) {
            String yaml = """
                    server:
                      upstream: %s
                      listen: [ { address: "127.0.0.1:0", tls: { certificate: live.crt.pem, key: live.key.pem } } ]
                    plugins: { directory: plugins }
                    """.formatted(origin.url());
            GatehouseServer server = GatehouseServer.start(new ConfigLoader(dir).parse(yaml, "reload.yaml"), List.of());
            try {
                int port = server.port();
                assertThat(peer(trusting, port)).isEqualTo(first.leaf());

                try (SSLSocket open = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", port)) {
                    open.setSoTimeout(10_000);
                    assertThat(exchange(open)).startsWith("HTTP/1.1 200");

                    AtomicBoolean loading = new AtomicBoolean(true);
                    AtomicInteger failures = new AtomicInteger();
                    AtomicInteger done = new AtomicInteger();
                    CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                        while (loading.get()) {
                            try { // a new client each time: a new connection, a new handshake
                                HttpClient client = HttpClient.newBuilder().sslContext(trusting).build();
                                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                        URI.create("https://127.0.0.1:" + port + "/load")).timeout(Duration.ofSeconds(10)).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                if (response.statusCode() != 200) {
                                    failures.incrementAndGet();
                                }
                                done.incrementAndGet();
                            } catch (Exception e) {
                                failures.incrementAndGet();
                            }
                        }
                    });

                    replace(second.keyPem(), liveKey);
                    replace(second.certificatePem(), liveCertificate);
                    await().atMost(Duration.ofSeconds(15)).until(() -> peer(trusting, port).equals(second.leaf()));

                    assertThat(exchange(open)).as("the connection opened before the reload still works").startsWith("HTTP/1.1 200");

                    Files.writeString(liveCertificate, "half-written");
                    await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                            .until(() -> peer(trusting, port).equals(second.leaf()));

                    loading.set(false);
                    load.get(30, TimeUnit.SECONDS);
                    assertThat(done.get()).as("requests during the reload").isPositive();
                    assertThat(failures.get()).isZero();
                }
            } finally {
                server.stop(Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void aTlsListenerAddedByAReloadHasItsFilesWatchedToo() throws Exception {
        TestCertificates.Generated first = TestCertificates.selfSigned(dir, "first", "RSA", "127.0.0.1");
        TestCertificates.Generated second = TestCertificates.selfSigned(dir, "second", "RSA", "127.0.0.1");
        Files.copy(first.certificatePem(), dir.resolve("live.crt.pem"));
        Files.copy(first.keyPem(), dir.resolve("live.key.pem"));
        SSLContext trusting = trusting(first, second);
        String plain = "server: { listen: [ \"127.0.0.1:0\" ] }\nplugins: { directory: plugins }\n";
        String withTls = "server: { listen: [ \"127.0.0.1:0\", { address: \"127.0.0.1:" + freePort()
                + "\", tls: { certificate: live.crt.pem, key: live.key.pem } } ] }\nplugins: { directory: plugins }\n";
        GatehouseServer server = GatehouseServer.start(new ConfigLoader(dir).parse(plain, "plain.yaml"), List.of());
        try {
            assertThat(server.reload(new ConfigLoader(dir).parseDocument(withTls, "tls.yaml"), "test").applied()).isTrue();
            int port = server.addresses().get(1).getPort();
            assertThat(peer(trusting, port)).isEqualTo(first.leaf());

            replace(second.keyPem(), dir.resolve("live.key.pem"));
            replace(second.certificatePem(), dir.resolve("live.crt.pem"));

            await().atMost(Duration.ofSeconds(15)).until(() -> peer(trusting, port).equals(second.leaf()));
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void replace(Path source, Path target) throws Exception {
        Path temporary = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String exchange(SSLSocket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write("GET /open HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        String status = in.readLine();
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
        return status;
    }

    private static Certificate peer(SSLContext trusting, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }

    private static SSLContext trusting(TestCertificates.Generated... certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trust.setCertificateEntry("c" + i, certificates[i].leaf());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
