package io.gatehouse.server.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses a listener's server certificate by the name the client asked for (SNI): the
 * certificates naming it exactly, else those whose wildcard covers it, else the default ones
 * (the first certificate and any other with the same names), unless unknown names are to be
 * rejected (the handshake then fails). Within that group the key type the handshake asks for
 * decides (an RSA and an EC certificate for the same names).
 * The certificates can be replaced at any time ({@link #replace}): handshakes already under way
 * keep what they chose, later ones see the new set. Aliases are indexes into the set of the moment,
 * prefixed with its generation, so a handshake that straddles a replacement still finds its
 * chain and key.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {

    private record Generation(long number, List<ServerCertificate> certificates) {
    }

    private final AtomicReference<Generation> current;
    private final AtomicReference<Generation> previous = new AtomicReference<>();
    private final boolean rejectUnknown;

    /**
     * @param certificates the certificates, the first being the default
     * @param rejectUnknown whether a name no certificate serves fails the handshake
     */
    public SniKeyManager(List<ServerCertificate> certificates, boolean rejectUnknown) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
        this.current = new AtomicReference<>(new Generation(0, List.copyOf(certificates)));
        this.rejectUnknown = rejectUnknown;
    }

    /**
     * Serves new handshakes with other certificates (reloaded files).
     *
     * @param certificates the new set, the first being the default
     */
    public void replace(List<ServerCertificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
        Generation old = current.get();
        previous.set(old);
        current.set(new Generation(old.number() + 1, List.copyOf(certificates)));
    }

    /** @return the certificates served now */
    public List<ServerCertificate> certificates() {
        return current.get().certificates();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, requestedName(engine == null ? null : engine.getHandshakeSession()));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, null);
    }

    /**
     * @param keyType the key type the handshake can use
     * @param requested the SNI host name, lower case, or null when the client sent none
     * @return the alias of the certificate to use, or null
     */
    String choose(String keyType, String requested) {
        Generation generation = current.get();
        List<ServerCertificate> certificates = generation.certificates();
        // the name decides the group first, whatever the key type; the key type then picks in the
        // group (the JDK asks once per key type it could use, and goes on when the answer is null)
        if (requested != null) {
            boolean exact = false;
            boolean wildcard = false;
            for (ServerCertificate certificate : certificates) {
                exact |= certificate.servesExactly(requested);
                wildcard |= certificate.servesByWildcard(requested);
            }
            if (exact || wildcard) {
                for (int i = 0; i < certificates.size(); i++) {
                    ServerCertificate certificate = certificates.get(i);
                    boolean serves = exact ? certificate.servesExactly(requested) : certificate.servesByWildcard(requested);
                    if (serves && fits(certificate, keyType)) {
                        return alias(generation, i);
                    }
                }
                return null;
            }
            if (rejectUnknown) {
                return null;
            }
        }
        List<String> defaultNames = certificates.get(0).names();
        for (int i = 0; i < certificates.size(); i++) {
            if (certificates.get(i).names().equals(defaultNames) && fits(certificates.get(i), keyType)) {
                return alias(generation, i);
            }
        }
        return null;
    }

    private static boolean fits(ServerCertificate certificate, String keyType) {
        String type = certificate.keyType();
        return keyType == null || keyType.equalsIgnoreCase(type)
                || keyType.startsWith("EC") && type.equals("EC")
                || keyType.equals("EdDSA") && (type.equals("Ed25519") || type.equals("Ed448"));
    }

    private static String alias(Generation generation, int index) {
        return generation.number() + ":" + index;
    }

    private ServerCertificate byAlias(String alias) {
        if (alias == null) {
            return null;
        }
        int colon = alias.indexOf(':');
        if (colon < 0) {
            return null;
        }
        long number;
        int index;
        try {
            number = Long.parseLong(alias.substring(0, colon));
            index = Integer.parseInt(alias.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        for (Generation generation : new Generation[] {current.get(), previous.get()}) {
            if (generation != null && generation.number() == number && index >= 0 && index < generation.certificates().size()) {
                return generation.certificates().get(index);
            }
        }
        return null;
    }

    private static String requestedName(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession extended)) {
            return null;
        }
        for (SNIServerName name : extended.getRequestedServerNames()) {
            if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                return ServerCertificate.normalise(((SNIHostName) name).getAsciiName());
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServerCertificate certificate = byAlias(alias);
        return certificate == null ? null : certificate.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServerCertificate certificate = byAlias(alias);
        return certificate == null ? null : certificate.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Generation generation = current.get();
        return java.util.stream.IntStream.range(0, generation.certificates().size())
                .filter(i -> fits(generation.certificates().get(i), keyType))
                .mapToObj(i -> alias(generation, i)).toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
