package io.gatehouse.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for a test with the JDK's {@code keytool}: self-signed ones (their own CA),
 * and leaves signed by such a CA. Each comes as a PKCS#12 keystore and as PEM files.
 */
public final class TestCertificates {

    public static final String PASSWORD = "changeit";

    private TestCertificates() {
    }

    /**
     * One generated certificate.
     *
     * @param keystore PKCS#12 with the key and chain (password {@link #PASSWORD})
     * @param certificatePem the chain, leaf first, as PEM
     * @param keyPem the private key as PKCS#8 PEM
     * @param chain the chain
     * @param key the private key
     */
    public record Generated(Path keystore, Path certificatePem, Path keyPem, List<X509Certificate> chain, PrivateKey key) {
        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    /**
     * @param trusted the certificate a client should trust (a self-signed leaf or a CA)
     * @return a client context that trusts that certificate only
     */
    public static SSLContext trusting(X509Certificate trusted) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("trusted", trusted);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * @param dir where to write the files
     * @param name the file name stem and CN
     * @param keyAlgorithm {@code RSA} or {@code EC}
     * @param dnsNames the subject alternative names
     * @return the self-signed certificate (a CA too)
     */
    public static Generated selfSigned(Path dir, String name, String keyAlgorithm, String... dnsNames) throws Exception {
        Path p12 = dir.resolve(name + ".p12");
        List<String> command = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-dname", "CN=" + name,
                "-validity", "2", "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-ext", "bc:c"));
        command.addAll(keyAlgorithm.equals("EC") ? List.of("-keyalg", "EC", "-groupname", "secp256r1")
                : List.of("-keyalg", "RSA", "-keysize", "2048"));
        if (dnsNames.length > 0) {
            command.addAll(List.of("-ext", "san=" + san(dnsNames)));
        }
        keytool(command);
        return export(dir, name, p12);
    }

    /**
     * @param dir where to write the files
     * @param ca the signing CA (from {@link #selfSigned})
     * @param name the file name stem and CN
     * @param dnsNames the subject alternative names
     * @return an RSA leaf signed by the CA, its chain being leaf and CA
     */
    public static Generated signedBy(Path dir, Generated ca, String name, String... dnsNames) throws Exception {
        Path p12 = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path crt = dir.resolve(name + ".crt");
        Path caCrt = dir.resolve(name + "-ca.crt");
        Files.writeString(caCrt, pem("CERTIFICATE", ca.leaf().getEncoded()));
        keytool(List.of("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
        keytool(List.of("-certreq", "-alias", name, "-keystore", p12.toString(), "-storepass", PASSWORD, "-file", csr.toString()));
        String caAlias = ca.keystore().getFileName().toString().replace(".p12", "");
        keytool(List.of("-gencert", "-alias", caAlias, "-keystore", ca.keystore().toString(), "-storepass", PASSWORD,
                "-infile", csr.toString(), "-outfile", crt.toString(), "-validity", "2", "-rfc", "-ext", "san=" + san(dnsNames)));
        keytool(List.of("-importcert", "-noprompt", "-alias", "ca", "-file", caCrt.toString(), "-keystore", p12.toString(),
                "-storepass", PASSWORD));
        keytool(List.of("-importcert", "-noprompt", "-alias", name, "-file", crt.toString(), "-keystore", p12.toString(),
                "-storepass", PASSWORD));
        return export(dir, name, p12);
    }

    /**
     * @param type the PEM label
     * @param der the content
     * @return the PEM text
     */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String san(String... dnsNames) {
        StringBuilder san = new StringBuilder();
        for (String dns : dnsNames) {
            san.append(san.length() == 0 ? "" : ",").append(Character.isDigit(dns.charAt(0)) ? "ip:" : "dns:").append(dns);
        }
        return san.toString();
    }

    private static Generated export(Path dir, String name, Path p12) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey(name, PASSWORD.toCharArray());
        List<X509Certificate> chain = new ArrayList<>();
        StringBuilder chainPem = new StringBuilder();
        for (Certificate certificate : store.getCertificateChain(name)) {
            chain.add((X509Certificate) certificate);
            chainPem.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        Path certificatePem = dir.resolve(name + ".crt.pem");
        Path keyPem = dir.resolve(name + ".key.pem");
        Files.writeString(certificatePem, chainPem);
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new Generated(p12, certificatePem, keyPem, List.copyOf(chain), key);
    }

    private static void keytool(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool timed out: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + "\n" + new String(output, StandardCharsets.UTF_8));
        }
    }
}
