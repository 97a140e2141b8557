package io.gatehouse.server.tls;

import io.gatehouse.api.ConfigException;
import io.gatehouse.server.config.CertificateSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.naming.InvalidNameException;

/**
 * Reads server certificates: PEM files (the chain, leaf first, and an unencrypted PKCS#8,
 * PKCS#1 RSA or SEC1 EC key) and PKCS#12 keystores. Every problem is a {@link ConfigException}
 * naming the configuration key and the file.
 */
public final class CertificateFiles {

    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS"};

    private CertificateFiles() {
    }

    /**
     * @param source where the certificate is
     * @return the certificate, its key checked against it
     * @throws ConfigException naming the key and file when a file is missing, unreadable or wrong
     */
    public static ServerCertificate load(CertificateSource source) {
        if (source instanceof CertificateSource.Pem pem) {
            return loadPem(pem);
        }
        return loadPkcs12((CertificateSource.Pkcs12) source);
    }

    /**
     * Reads a PEM bundle of certificates, such as trusted CAs.
     *
     * @param key the configuration key, for messages
     * @param file the file
     * @return its certificates, at least one
     * @throws ConfigException naming the key and file
     */
    public static List<X509Certificate> loadCertificates(String key, Path file) {
        List<X509Certificate> certificates = certificates(key, file, PemBlocks.parse(read(key, file)));
        if (certificates.isEmpty()) {
            throw new ConfigException(key, "no CERTIFICATE block in " + file);
        }
        return certificates;
    }

    private static ServerCertificate loadPem(CertificateSource.Pem pem) {
        String certKey = pem.key() + ".certificate";
        String privateKeyKey = pem.key() + ".key";
        List<X509Certificate> chain = certificates(certKey, pem.certificate(), PemBlocks.parse(read(certKey, pem.certificate())));
        if (chain.isEmpty()) {
            throw new ConfigException(certKey, "no CERTIFICATE block in " + pem.certificate());
        }
        PrivateKey key = null;
        for (PemBlocks.Block block : parse(privateKeyKey, pem.privateKey(), read(privateKeyKey, pem.privateKey()))) {
            if (block.label().equals("ENCRYPTED PRIVATE KEY") || block.label().equals("PRIVATE KEY") && key != null) {
                throw new ConfigException(privateKeyKey, block.label().startsWith("ENCRYPTED")
                        ? "encrypted private keys are not supported (" + pem.privateKey() + "); decrypt it or use a PKCS#12 keystore"
                        : "more than one private key in " + pem.privateKey());
            }
            byte[] pkcs8 = switch (block.label()) {
                case "PRIVATE KEY" -> block.der();
                case "RSA PRIVATE KEY" -> Der.pkcs8FromPkcs1(block.der());
                case "EC PRIVATE KEY" -> sec1(privateKeyKey, pem.privateKey(), block.der());
                default -> null;
            };
            if (pkcs8 != null) {
                key = privateKey(privateKeyKey, pem.privateKey(), pkcs8);
            }
        }
        if (key == null) {
            throw new ConfigException(privateKeyKey, "no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block in " + pem.privateKey());
        }
        return checked(pem.key(), pem.certificate().toString(), chain, key);
    }

    private static ServerCertificate loadPkcs12(CertificateSource.Pkcs12 p12) {
        String fileKey = p12.key() + ".keystore";
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p12.keystore());
        } catch (IOException e) {
            throw unreadable(fileKey, p12.keystore(), e);
        }
        char[] password = p12.password().toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, password);
                Certificate[] chain = store.getCertificateChain(alias);
                if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                    List<X509Certificate> x509 = new ArrayList<>();
                    for (Certificate certificate : chain) {
                        x509.add((X509Certificate) certificate);
                    }
                    return checked(p12.key(), p12.keystore().toString(), x509, privateKey);
                }
            }
        } catch (IOException e) {
            throw new ConfigException(p12.key() + ".password", "cannot open the keystore " + p12.keystore()
                    + ": wrong password or not a PKCS#12 file (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new ConfigException(fileKey, "cannot read the keystore " + p12.keystore() + ": " + e.getMessage());
        }
        throw new ConfigException(fileKey, "no private key entry with a certificate chain in " + p12.keystore());
    }

    private static ServerCertificate checked(String key, String file, List<X509Certificate> chain, PrivateKey privateKey) {
        X509Certificate leaf = chain.get(0);
        if (!matches(privateKey, leaf)) {
            throw new ConfigException(key, "the private key does not belong to the first certificate of " + file);
        }
        List<String> names = names(leaf);
        if (names.isEmpty()) {
            throw new ConfigException(key, "the certificate in " + file + " names no host (no DNS subject alternative name, no CN)");
        }
        return new ServerCertificate(key, chain, privateKey, names);
    }

    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448
        };
        try {
            byte[] probe = "gatehouse".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                verifier.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The DNS subject alternative names, else the subject's CN. */
    static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.size() >= 2 && Integer.valueOf(2).equals(entry.get(0))) {
                        names.add(ServerCertificate.normalise(String.valueOf(entry.get(1))));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable alternative names: fall back to the CN
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(ServerCertificate.normalise(String.valueOf(rdn.getValue())));
                    }
                }
            } catch (InvalidNameException e) {
                // no CN either
            }
        }
        return names;
    }

    private static List<X509Certificate> certificates(String key, Path file, List<PemBlocks.Block> blocks) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemBlocks.Block block : blocks) {
                if (block.label().equals("CERTIFICATE")) {
                    try (InputStream in = new ByteArrayInputStream(block.der())) {
                        certificates.add((X509Certificate) factory.generateCertificate(in));
                    }
                }
            }
        } catch (CertificateException | IOException e) {
            throw new ConfigException(key, "not a valid certificate in " + file + ": " + e.getMessage());
        }
        return certificates;
    }

    private static List<PemBlocks.Block> parse(String key, Path file, String text) {
        try {
            return PemBlocks.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage() + " of " + file);
        }
    }

    private static byte[] sec1(String key, Path file, byte[] der) {
        try {
            return Der.pkcs8FromSec1(der);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "cannot read the EC private key in " + file + ": " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(String key, Path file, byte[] pkcs8) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException(key, "cannot read the private key in " + file + " (RSA, EC and EdDSA keys are supported)");
    }

    private static String read(String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw unreadable(key, file, e);
        }
    }

    private static ConfigException unreadable(String key, Path file, IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : String.valueOf(e.getMessage());
        return new ConfigException(key, "cannot read " + file + ": " + why);
    }
}
