package io.gatehouse.api;

import java.util.List;
import java.util.Objects;

/**
 * The certificate a client presented on a TLS listener with client authentication, verified by the
 * server against the listener's trusted CAs before any filter runs. Set on the exchange as {@link
 * Keys#CLIENT_CERTIFICATE}; absent when the client sent none (on a listener where it is optional) or
 * the connection is not TLS. Immutable.
 *
 * @param subject the subject's distinguished name, RFC 2253 form, e.g. {@code CN=billing,O=Example}
 * @param issuer the issuer's distinguished name, RFC 2253 form
 * @param dnsNames the DNS subject alternative names
 * @param uris the URI subject alternative names (SPIFFE ids, for example)
 * @param emails the e-mail (RFC 822) subject alternative names
 * @since 0.2
 */
public record ClientCertificate(String subject, String issuer, List<String> dnsNames, List<String> uris, List<String> emails) {

    /**
     * Checks and copies.
     *
     * @param subject the subject's distinguished name, RFC 2253 form
     * @param issuer the issuer's distinguished name, RFC 2253 form
     * @param dnsNames the DNS subject alternative names
     * @param uris the URI subject alternative names
     * @param emails the e-mail subject alternative names
     */
    public ClientCertificate {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        dnsNames = List.copyOf(dnsNames);
        uris = List.copyOf(uris);
        emails = List.copyOf(emails);
    }
}
