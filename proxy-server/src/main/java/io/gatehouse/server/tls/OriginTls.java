package io.gatehouse.server.tls;

import io.gatehouse.api.ConfigException;
import io.gatehouse.server.config.UpstreamTls;
import org.apache.hc.core5.net.InetAddressUtils;
import org.apache.hc.core5.net.NamedEndpoint;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS towards {@code https} origins: the origin's certificate is verified against the Java
 * runtime's trust store or the configured CA bundle, and its name against the upstream's host
 * (endpoint identification {@code HTTPS}); SNI carries the host when it is a name, not an IP
 * literal; TLS 1.3 and 1.2 only; ALPN offers {@code http/1.1} to {@code https} upstreams and
 * {@code h2} alone to {@code h2} upstreams.
 * Thread-safe.
 */
public final class OriginTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final String[] ALPN = {"http/1.1"};
    private static final String[] ALPN_H2 = {"h2"};

    private final SSLContext context;

    private OriginTls(SSLContext context) {
        this.context = context;
    }

    /**
     * @param settings {@code server.upstream-tls}
     * @return the context
     * @throws ConfigException naming the key and file of an unreadable CA bundle
     */
    public static OriginTls create(UpstreamTls settings) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(settings), trustManagers(settings), null);
            return new OriginTls(context);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new ConfigException(settings.key(), "cannot create the TLS context for https upstreams: " + e.getMessage());
        }
    }

    /** The configured CA bundle, or null for the runtime's default trust store. */
    private static TrustManager[] trustManagers(UpstreamTls settings) throws GeneralSecurityException, java.io.IOException {
        if (settings.trustedCertificates().isEmpty()) {
            return null;
        }
        String key = settings.key() + ".trusted-certificates";
        List<X509Certificate> cas = CertificateFiles.loadCertificates(key, settings.trustedCertificates().get());
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        return trust.getTrustManagers();
    }

    /** The client certificate shown to origins that ask for one, or null for none. */
    private static KeyManager[] keyManagers(UpstreamTls settings) throws GeneralSecurityException, java.io.IOException {
        if (settings.clientCertificate().isEmpty()) {
            return null;
        }
        ServerCertificate certificate = CertificateFiles.load(settings.clientCertificate().get());
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", certificate.key(), password, certificate.chain().toArray(new java.security.cert.Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        return keys.getKeyManagers();
    }

    /** @return the context, for HttpCore's {@code startTls} */
    public SSLContext context() {
        return context;
    }

    /**
     * Sets up the engine of a new origin connection (HttpCore's {@code SSLSessionInitializer}).
     *
     * @param endpoint the origin
     * @param engine the connection's engine, in client mode
     */
    public void initialize(NamedEndpoint endpoint, SSLEngine engine) {
        initialize(endpoint, engine, ALPN);
    }

    /**
     * The same for an HTTP/2 origin connection: ALPN offers {@code h2} only.
     *
     * @param endpoint the origin
     * @param engine the connection's engine, in client mode
     */
    public void initializeHttp2(NamedEndpoint endpoint, SSLEngine engine) {
        initialize(endpoint, engine, ALPN_H2);
    }

    private static void initialize(NamedEndpoint endpoint, SSLEngine engine, String[] alpn) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        parameters.setApplicationProtocols(alpn);
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        String host = endpoint.getHostName();
        if (!InetAddressUtils.isIPv4(host) && !InetAddressUtils.isIPv6(host) && !InetAddressUtils.isIPv6URLBracketed(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(parameters);
    }
}
