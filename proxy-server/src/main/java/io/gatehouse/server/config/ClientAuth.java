package io.gatehouse.server.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Client certificates on a TLS listener ({@code server.listen[i].tls.client-auth}).
 *
 * @param key the configuration key of the section, for messages
 * @param required whether a client without a valid certificate fails the handshake ({@code
 *     mode: required}), or may go on without one ({@code mode: optional}; one it presents must
 *     still be valid)
 * @param trustedCertificates the PEM bundle of the CA certificates a client certificate must chain to
 * @param forwardHeader the request field that carries the verified client's subject to the origin,
 *     when set; copies the client sent are always removed
 */
public record ClientAuth(String key, boolean required, Path trustedCertificates, Optional<String> forwardHeader) {
}
