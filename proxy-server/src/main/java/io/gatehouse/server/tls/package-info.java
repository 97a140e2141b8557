/**
 * TLS for the proxy's listeners: server certificates read from PEM files or PKCS#12 keystores
 * ({@link io.gatehouse.server.tls.CertificateFiles}), the choice among them by SNI ({@link
 * io.gatehouse.server.tls.SniKeyManager}), and one listener's TLS context with its protocols,
 * ciphers and ALPN ({@link io.gatehouse.server.tls.ServerTls}). Internal to the server.
 */
package io.gatehouse.server.tls;
