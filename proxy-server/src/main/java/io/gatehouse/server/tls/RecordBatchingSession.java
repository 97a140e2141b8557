package io.gatehouse.server.tls;

import java.security.Principal;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * A TLS session as the real engine has it, except that its packet buffer holds several records
 * ({@link RecordBatchingContext} says why).
 */
@SuppressWarnings("removal") // getPeerCertificateChain: the interface still has it, the session answers it
final class RecordBatchingSession extends ExtendedSSLSession {

    private final SSLSession session;
    private final int records;

    RecordBatchingSession(SSLSession session, int records) {
        this.session = session;
        this.records = records;
    }

    @Override
    public int getPacketBufferSize() {
        return session.getPacketBufferSize() * records;
    }

    @Override
    public int getApplicationBufferSize() {
        return session.getApplicationBufferSize();
    }

    @Override
    public String[] getLocalSupportedSignatureAlgorithms() {
        return session instanceof ExtendedSSLSession ? ((ExtendedSSLSession) session).getLocalSupportedSignatureAlgorithms() : new String[0];
    }

    @Override
    public String[] getPeerSupportedSignatureAlgorithms() {
        return session instanceof ExtendedSSLSession ? ((ExtendedSSLSession) session).getPeerSupportedSignatureAlgorithms() : new String[0];
    }

    @Override
    public List<SNIServerName> getRequestedServerNames() {
        return session instanceof ExtendedSSLSession ? ((ExtendedSSLSession) session).getRequestedServerNames() : List.of();
    }

    @Override
    public List<byte[]> getStatusResponses() {
        return session instanceof ExtendedSSLSession ? ((ExtendedSSLSession) session).getStatusResponses() : List.of();
    }

    @Override
    public byte[] getId() {
        return session.getId();
    }

    @Override
    public SSLSessionContext getSessionContext() {
        return session.getSessionContext();
    }

    @Override
    public long getCreationTime() {
        return session.getCreationTime();
    }

    @Override
    public long getLastAccessedTime() {
        return session.getLastAccessedTime();
    }

    @Override
    public void invalidate() {
        session.invalidate();
    }

    @Override
    public boolean isValid() {
        return session.isValid();
    }

    @Override
    public void putValue(String name, Object value) {
        session.putValue(name, value);
    }

    @Override
    public Object getValue(String name) {
        return session.getValue(name);
    }

    @Override
    public void removeValue(String name) {
        session.removeValue(name);
    }

    @Override
    public String[] getValueNames() {
        return session.getValueNames();
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        return session.getPeerCertificates();
    }

    @Override
    public Certificate[] getLocalCertificates() {
        return session.getLocalCertificates();
    }

    @Override
    public javax.security.cert.X509Certificate[] getPeerCertificateChain() throws SSLPeerUnverifiedException {
        return session.getPeerCertificateChain();
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        return session.getPeerPrincipal();
    }

    @Override
    public Principal getLocalPrincipal() {
        return session.getLocalPrincipal();
    }

    @Override
    public String getCipherSuite() {
        return session.getCipherSuite();
    }

    @Override
    public String getProtocol() {
        return session.getProtocol();
    }

    @Override
    public String getPeerHost() {
        return session.getPeerHost();
    }

    @Override
    public int getPeerPort() {
        return session.getPeerPort();
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
