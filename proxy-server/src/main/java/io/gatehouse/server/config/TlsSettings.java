package io.gatehouse.server.config;

import java.util.List;
import java.util.Optional;

/**
 * The TLS settings of one listener ({@code server.listen[i].tls}).
 *
 * @param key the configuration key of the section, for messages
 * @param certificates the server certificates, the first being the default (SNI chooses among
 *     them by the names in each certificate)
 * @param protocols the enabled protocol versions, e.g. {@code TLSv1.3}, {@code TLSv1.2}
 * @param ciphers the enabled cipher suites, in order of preference
 * @param rejectUnknownServerName whether a client asking (by SNI) for a name no certificate has
 *     fails the handshake instead of getting the default certificate
 * @param hsts the {@code Strict-Transport-Security} value to add to responses, when set
 * @param clientAuth client certificates (mTLS), when asked for
 * @param buffers how connections hold their TLS buffers (about 150 KiB when kept): for their
 *     whole life ({@code per-connection}: less CPU per request), per read and write ({@code
 *     on-demand}: an idle connection holds none), or kept within a memory budget ({@code auto})
 */
public record TlsSettings(String key, List<CertificateSource> certificates, List<String> protocols, List<String> ciphers,
                          boolean rejectUnknownServerName, Optional<String> hsts, Optional<ClientAuth> clientAuth,
                          TlsBuffers buffers) {

    /** Copies lists. */
    public TlsSettings {
        certificates = List.copyOf(certificates);
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
    }
}
