package io.gatehouse.server.tls;

import io.gatehouse.api.ConfigException;
import io.gatehouse.server.config.CertificateSource;
import io.gatehouse.server.config.ClientAuth;
import io.gatehouse.server.config.TlsSettings;
import org.apache.hc.core5.net.NamedEndpoint;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * One TLS listener's context: its certificates (chosen by SNI), protocol versions, cipher suites
 * and ALPN protocols, and the set-up of each connection's {@link SSLEngine} ({@link #initialize},
 * HttpCore's {@code SSLSessionInitializer}). Built at start-up, where every problem is a {@link
 * ConfigException} naming the key; thread-safe afterwards.
 */
public final class ServerTls {

    /** TLS records HttpCore's TLS layer may write or read per I/O event ({@link RecordBatchingContext}). */
    static final int RECORDS_PER_EVENT = 4;

    private final TlsSettings settings;
    private final SniKeyManager keys;
    private final SSLContext context;
    private final String[] protocols;
    private final String[] ciphers;
    private final String[] applicationProtocols;

    private ServerTls(TlsSettings settings, SniKeyManager keys, SSLContext context, String[] protocols, String[] ciphers,
                      String[] applicationProtocols) {
        this.settings = settings;
        this.keys = keys;
        this.context = context;
        this.protocols = protocols;
        this.ciphers = ciphers;
        this.applicationProtocols = applicationProtocols;
    }

    /**
     * Reads the certificates and builds the context.
     *
     * @param settings the listener's TLS settings
     * @param http2 whether ALPN offers {@code h2} (before {@code http/1.1})
     * @return the context
     * @throws ConfigException naming the key at fault (a file, a protocol, a cipher)
     */
    public static ServerTls create(TlsSettings settings, boolean http2) {
        SniKeyManager keys = new SniKeyManager(loadAll(settings), settings.rejectUnknownServerName());
        SSLContext context;
        try {
            SSLContext plain = SSLContext.getInstance("TLS");
            plain.init(new KeyManager[] {keys}, clientTrust(settings), null);
            context = new RecordBatchingContext(plain, RECORDS_PER_EVENT);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(settings.key(), "cannot create a TLS context: " + e.getMessage());
        }
        SSLParameters supported = context.getSupportedSSLParameters();
        String[] protocols = checked(settings.key() + ".protocols", settings.protocols(), Arrays.asList(supported.getProtocols()));
        String[] ciphers = checked(settings.key() + ".ciphers", settings.ciphers(), Arrays.asList(supported.getCipherSuites()));
        String[] alpn = http2 ? new String[] {"h2", "http/1.1"} : new String[] {"http/1.1"};
        return new ServerTls(settings, keys, context, protocols, ciphers, alpn);
    }

    /** The trust managers that verify client certificates, null (the runtime's) without client authentication. */
    private static TrustManager[] clientTrust(TlsSettings settings) throws GeneralSecurityException {
        if (settings.clientAuth().isEmpty()) {
            return null;
        }
        ClientAuth auth = settings.clientAuth().get();
        List<X509Certificate> cas = CertificateFiles.loadCertificates(auth.key() + ".trusted-certificates", auth.trustedCertificates());
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("client-ca-" + i, cas.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /**
     * @param settings the listener's TLS settings
     * @return every certificate read and checked
     * @throws ConfigException naming the key and file at fault
     */
    static List<ServerCertificate> loadAll(TlsSettings settings) {
        List<ServerCertificate> loaded = new ArrayList<>();
        for (CertificateSource source : settings.certificates()) {
            loaded.add(CertificateFiles.load(source));
        }
        return loaded;
    }

    private static String[] checked(String key, List<String> wanted, List<String> supported) {
        for (int i = 0; i < wanted.size(); i++) {
            if (!supported.contains(wanted.get(i))) {
                throw new ConfigException(key + "[" + i + "]", "not supported by this Java runtime: " + wanted.get(i));
            }
        }
        return wanted.toArray(new String[0]);
    }

    /**
     * Sets up a new connection's engine: protocols, ciphers in the server's order, ALPN. HttpCore
     * calls it on the I/O thread before the handshake.
     *
     * @param endpoint unused on the server side
     * @param engine the connection's engine
     */
    public void initialize(NamedEndpoint endpoint, SSLEngine engine) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setCipherSuites(ciphers);
        parameters.setUseCipherSuitesOrder(true);
        parameters.setApplicationProtocols(applicationProtocols);
        settings.clientAuth().ifPresent(auth -> {
            if (auth.required()) {
                parameters.setNeedClientAuth(true);
            } else {
                parameters.setWantClientAuth(true);
            }
        });
        engine.setSSLParameters(parameters);
    }

    /** @return the SSL context, for HttpCore's {@code startTls} */
    public SSLContext context() {
        return context;
    }

    /** @return the listener's TLS settings */
    public TlsSettings settings() {
        return settings;
    }

    /** @return the key manager (its certificates can be replaced) */
    public SniKeyManager keys() {
        return keys;
    }
}
