package io.gatehouse.server.tls;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An SSL context whose engines let HttpCore's TLS layer move several TLS records per I/O event
 * instead of one.
 *
 * <p>Why: HttpCore's {@code SSLIOSession} sizes its encrypted-output and encrypted-input buffers
 * by the engine session's {@code getPacketBufferSize()}, one TLS record (about 16 KiB). It flushes
 * encrypted output only in the connection's output event, so a 64 KiB response left the proxy one
 * record per turn of the reactor (four events, four system calls, and each turn asked every HTTP/2
 * stream to produce for nothing), and it reads one record per input event. The engines made here
 * report a packet buffer {@code records} times as large, so the buffers hold that many records:
 * one write of a 64 KiB body is then encrypted into four records in a row and sent with one system
 * call, and one read takes up to four records. The records themselves are unchanged (the real
 * engine still makes records of at most 16 KiB of plaintext); only the buffers around it grow.
 *
 * <p>Memory: with on-demand buffers ({@code tls.buffers}) the buffers exist only while they hold
 * bytes; per-connection buffers are {@code records} times larger for the connection's lifetime.
 */
public final class RecordBatchingContext extends SSLContext {

    /**
     * @param context the real context (initialized)
     * @param records how many TLS records the connection buffers hold (at least 1)
     */
    public RecordBatchingContext(SSLContext context, int records) {
        super(new Spi(context, atLeastOne(records)), context.getProvider(), context.getProtocol());
    }

    private static int atLeastOne(int records) {
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1: " + records);
        }
        return records;
    }

    private static final class Spi extends SSLContextSpi {

        private final SSLContext context;
        private final int records;

        Spi(SSLContext context, int records) {
            this.context = context;
            this.records = records;
        }

        @Override
        protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
                throws KeyManagementException {
            context.init(keyManagers, trustManagers, random);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return context.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return context.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return new RecordBatchingEngine(context.createSSLEngine(), records);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return new RecordBatchingEngine(context.createSSLEngine(host, port), records);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return context.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return context.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return context.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return context.getSupportedSSLParameters();
        }
    }
}
