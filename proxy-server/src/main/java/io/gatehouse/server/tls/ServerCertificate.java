package io.gatehouse.server.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * One server certificate ready for handshakes: its chain (leaf first), its private key, and the
 * host names it serves (the leaf's DNS subject alternative names, else its common name), lower
 * case, wildcards as {@code *.example.com}.
 *
 * @param source the configuration key it came from
 * @param chain the chain, leaf first
 * @param key the leaf's private key
 * @param names the host names
 */
public record ServerCertificate(String source, List<X509Certificate> chain, PrivateKey key, List<String> names) {

    /** Copies lists. */
    public ServerCertificate {
        chain = List.copyOf(chain);
        names = List.copyOf(names);
    }

    /** @return the leaf certificate */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** @return the key algorithm as TLS key managers name it: {@code RSA}, {@code EC}, {@code EdDSA}... */
    public String keyType() {
        return key.getAlgorithm();
    }

    /**
     * @param host a requested server name, lower case
     * @return whether one of the names is exactly it
     */
    boolean servesExactly(String host) {
        return names.contains(host);
    }

    /**
     * @param host a requested server name, lower case
     * @return whether a wildcard name covers it: {@code *.example.com} covers {@code a.example.com},
     *     not {@code example.com} nor {@code a.b.example.com}
     */
    boolean servesByWildcard(String host) {
        int dot = host.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        return names.contains("*" + host.substring(dot));
    }

    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "ServerCertificate[" + source + ", " + names + ", " + leaf().getSubjectX500Principal() + "]";
    }
}
