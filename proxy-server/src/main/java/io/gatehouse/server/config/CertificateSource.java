package io.gatehouse.server.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where one server certificate and its private key are read from.
 */
public sealed interface CertificateSource {

    /** @return the configuration key, e.g. {@code server.listen[1].tls.certificates[0]}, for messages */
    String key();

    /** @return the files to watch for changes */
    List<Path> files();

    /**
     * PEM files: the certificate chain (leaf first) and the private key (PKCS#8, PKCS#1 RSA or SEC1 EC,
     * unencrypted). Both may be the same file.
     *
     * @param key the configuration key of the entry
     * @param certificate the chain file ({@code certificate})
     * @param privateKey the key file ({@code key})
     */
    record Pem(String key, Path certificate, Path privateKey) implements CertificateSource {
        @Override
        public List<Path> files() {
            return List.of(certificate, privateKey);
        }
    }

    /**
     * A PKCS#12 keystore holding one private key entry with its chain.
     *
     * @param key the configuration key of the entry
     * @param keystore the file ({@code keystore})
     * @param password its password ({@code password}), also that of the key
     */
    record Pkcs12(String key, Path keystore, String password) implements CertificateSource {
        @Override
        public List<Path> files() {
            return List.of(keystore);
        }

        @Override
        public String toString() {
            return "Pkcs12[key=" + key + ", keystore=" + keystore + ", password=***]";
        }
    }
}
