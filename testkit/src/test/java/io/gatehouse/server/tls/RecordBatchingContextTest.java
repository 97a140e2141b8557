package io.gatehouse.server.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Random;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batching context's engines: a real handshake (SNI and ALPN pass through), a packet buffer
 * that holds four records, and several records wrapped into it in a row that the peer reads back.
 */
class RecordBatchingContextTest {

    @TempDir
    static Path dir;
    private static SSLContext server;
    private static SSLContext client;

    @BeforeAll
    static void contexts() throws Exception {
        TestCertificates.Generated certificate = TestCertificates.selfSigned(dir, "batch", "EC", "batch.test");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificate.keystore())) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, TestCertificates.PASSWORD.toCharArray());
        SSLContext plain = SSLContext.getInstance("TLS");
        plain.init(keys.getKeyManagers(), null, null);
        server = new RecordBatchingContext(plain, 4);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
    }

    @Test
    void theBuffersHoldFourRecordsSoSeveralAreWrappedBeforeASend() throws Exception {
        SSLEngine serverEngine = serverEngine();
        SSLEngine clientEngine = clientEngine();
        handshake(clientEngine, serverEngine);

        int onePacket = clientEngine.getSession().getPacketBufferSize();
        assertThat(serverEngine.getSession().getPacketBufferSize()).isEqualTo(4 * onePacket);
        assertThat(serverEngine.getSession().getApplicationBufferSize())
                .isEqualTo(clientEngine.getSession().getApplicationBufferSize());

        byte[] body = new byte[64 * 1024];
        new Random(7).nextBytes(body);
        ByteBuffer plaintext = ByteBuffer.wrap(body);
        ByteBuffer network = ByteBuffer.allocate(serverEngine.getSession().getPacketBufferSize());
        ByteBuffer received = ByteBuffer.allocate(body.length + clientEngine.getSession().getApplicationBufferSize());
        int firstBatch = -1;
        while (plaintext.hasRemaining()) {
            // as HttpCore's TLS layer does: wrap while the buffer has room, then send it all
            SSLEngineResult result;
            do {
                result = serverEngine.wrap(plaintext, network);
            } while (result.getStatus() == SSLEngineResult.Status.OK && plaintext.hasRemaining());
            if (firstBatch < 0) {
                firstBatch = body.length - plaintext.remaining();
            }
            network.flip();
            while (network.hasRemaining()) {
                assertThat(clientEngine.unwrap(network, received).getStatus()).isEqualTo(SSLEngineResult.Status.OK);
            }
            network.clear();
        }
        assertThat(firstBatch).as("plaintext taken before the buffer had to be sent: several 16 KiB records, not one")
                .isGreaterThanOrEqualTo(3 * 16 * 1024);
        received.flip();
        assertThat(received).isEqualTo(ByteBuffer.wrap(body));
    }

    @Test
    void theRequestedNameAndTheNegotiatedProtocolPassThrough() throws Exception {
        SSLEngine serverEngine = serverEngine();
        SSLEngine clientEngine = clientEngine();
        handshake(clientEngine, serverEngine);

        assertThat(serverEngine.getApplicationProtocol()).isEqualTo("h2");
        assertThat(serverEngine.getSession()).isInstanceOf(ExtendedSSLSession.class);
        assertThat(((ExtendedSSLSession) serverEngine.getSession()).getRequestedServerNames())
                .containsExactly(new SNIHostName("batch.test"));
        assertThat(serverEngine.getSession().getCipherSuite()).isEqualTo(clientEngine.getSession().getCipherSuite());
        assertThat(serverEngine.getSession().getLocalCertificates()).isNotEmpty();
    }

    private static SSLEngine serverEngine() {
        SSLEngine engine = server.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static SSLEngine clientEngine() {
        SSLEngine engine = client.createSSLEngine("batch.test", 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("batch.test")));
        parameters.setApplicationProtocols(new String[] {"h2"});
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Runs both sides' handshakes over two in-memory buffers until neither has anything to do. */
    private static void handshake(SSLEngine clientEngine, SSLEngine serverEngine) throws Exception {
        ByteBuffer toServer = ByteBuffer.allocate(4 * 17 * 1024);
        ByteBuffer toClient = ByteBuffer.allocate(4 * 17 * 1024);
        ByteBuffer ignored = ByteBuffer.allocate(64 * 1024);
        clientEngine.beginHandshake();
        serverEngine.beginHandshake();
        for (int step = 0; step < 100 && !(finished(clientEngine) && finished(serverEngine)); step++) {
            advance(clientEngine, toClient, toServer, ignored);
            advance(serverEngine, toServer, toClient, ignored);
        }
        assertThat(finished(clientEngine) && finished(serverEngine)).as("handshake finished").isTrue();
        // TLS 1.3: the server sends a session ticket after the handshake; deliver it and the rest
        serverEngine.wrap(ByteBuffer.allocate(0), toClient);
        toClient.flip();
        while (toClient.hasRemaining()) {
            clientEngine.unwrap(toClient, ignored);
        }
    }

    private static void advance(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer ignored) throws Exception {
        HandshakeStatus status = engine.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_WRAP) {
            engine.wrap(ByteBuffer.allocate(0), out);
        } else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
            in.flip();
            engine.unwrap(in, ignored);
            in.compact();
        } else if (status == HandshakeStatus.NEED_TASK) {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }
    }

    private static boolean finished(SSLEngine engine) {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }
}
