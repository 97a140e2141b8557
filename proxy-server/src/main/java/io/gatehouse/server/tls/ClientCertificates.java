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
 * The verified client certificate of a TLS session, as the API's {@link ClientCertificate}.
 *
 * <p>Read only on listeners that ask for client certificates ({@code ListenerExchange}, which
 * hands it to the exchange through {@link #CONTEXT_ATTRIBUTE}): elsewhere no client presents one,
 * and the JDK answers "none" with an exception (a stack trace filled in per request). Not kept in
 * the TLS session's values: on TLS 1.3 {@code SSLSession.putValue} makes the JDK send a new
 * session ticket with the next record, a handshake message in the middle of the response, and
 * HttpCore's TLS layer with a one-record output buffer stalled on it (1 MiB downloads hung).
 */
public final class ClientCertificates {

    /** The HttpCore context attribute that carries a request's verified {@link ClientCertificate}, when there is one. */
    public static final String CONTEXT_ATTRIBUTE = "io.gatehouse.client-certificate";

    private ClientCertificates() {
    }

    /**
     * @param session the connection's TLS session, or null for cleartext
     * @return the client's certificate when it presented one (the handshake verified it)
     */
    public static Optional<ClientCertificate> of(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
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
