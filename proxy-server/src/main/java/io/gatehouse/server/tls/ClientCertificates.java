package io.gatehouse.server.tls;

import io.gatehouse.api.ClientCertificate;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * The verified client certificate of a TLS session, as the API's {@link ClientCertificate}. Read
 * once per TLS session and kept in the session's values: asked for on every request, and the JDK
 * answers "no certificate" with an exception (a stack trace filled in, per request, on every TLS
 * listener without client authentication).
 */
public final class ClientCertificates {

    /** The session value holding what {@link #of} found. */
    private static final String SESSION_VALUE = "io.gatehouse.client-certificate";

    private ClientCertificates() {
    }

    /** What was found in a session, kept in its values. */
    private record Found(Optional<ClientCertificate> certificate) {
    }

    /**
     * @param session the connection's TLS session, or null for cleartext
     * @return the client's certificate when it presented one (the handshake verified it)
     */
    public static Optional<ClientCertificate> of(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        if (session.getValue(SESSION_VALUE) instanceof Found found) {
            return found.certificate();
        }
        Optional<ClientCertificate> certificate = read(session);
        session.putValue(SESSION_VALUE, new Found(certificate));
        return certificate;
    }

    private static Optional<ClientCertificate> read(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        List<String> dns = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        try {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    Object type = name.get(0);
                    String value = String.valueOf(name.get(1));
                    if (Integer.valueOf(2).equals(type)) {
                        dns.add(value);
                    } else if (Integer.valueOf(6).equals(type)) {
                        uris.add(value);
                    } else if (Integer.valueOf(1).equals(type)) {
                        emails.add(value);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable alternative names
        }
        return Optional.of(new ClientCertificate(leaf.getSubjectX500Principal().getName(X500Principal.RFC2253),
                leaf.getIssuerX500Principal().getName(X500Principal.RFC2253), dns, uris, emails));
    }
}
