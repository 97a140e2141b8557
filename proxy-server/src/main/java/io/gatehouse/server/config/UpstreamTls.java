package io.gatehouse.server.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS towards {@code https} and {@code h2} upstreams ({@code server.upstream-tls}).
 *
 * @param key the configuration key, for messages
 * @param trustedCertificates a PEM bundle of the CA certificates origin certificates must chain
 *     to; empty for the Java runtime's trust store
 * @param clientCertificate the certificate the proxy shows origins that ask for one (mTLS to
 *     origins); empty for none
 */
public record UpstreamTls(String key, Optional<Path> trustedCertificates, Optional<CertificateSource> clientCertificate) {

    /** Origins verified against the Java runtime's trust store. */
    public static final UpstreamTls SYSTEM_TRUST = new UpstreamTls("server.upstream-tls", Optional.empty(), Optional.empty());
}
