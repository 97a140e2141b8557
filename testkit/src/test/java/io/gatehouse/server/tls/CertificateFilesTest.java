package io.gatehouse.server.tls;

import io.gatehouse.api.ConfigException;
import io.gatehouse.server.config.CertificateSource;
import io.gatehouse.server.config.TlsSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Reading server certificates: PEM (PKCS#8, PKCS#1, SEC1; chains) and PKCS#12, and what is wrong with bad ones. */
class CertificateFilesTest {

    @TempDir
    static Path dir;
    private static TestCertificates.Generated rsa;
    private static TestCertificates.Generated ec;
    private static TestCertificates.Generated chained;

    @BeforeAll
    static void generate() throws Exception {
        rsa = TestCertificates.selfSigned(dir, "rsa", "RSA", "rsa.test", "*.rsa.test");
        ec = TestCertificates.selfSigned(dir, "ec", "EC", "ec.test");
        chained = TestCertificates.signedBy(dir, ec, "leaf", "leaf.test");
    }

    private static CertificateSource.Pem pem(Path certificate, Path key) {
        return new CertificateSource.Pem("server.listen[0].tls", certificate, key);
    }

    @Test
    void pkcs8PemKeysOfBothTypesLoadWithTheirNames() {
        ServerCertificate loaded = CertificateFiles.load(pem(rsa.certificatePem(), rsa.keyPem()));
        assertThat(loaded.names()).containsExactly("rsa.test", "*.rsa.test");
        assertThat(loaded.keyType()).isEqualTo("RSA");
        assertThat(CertificateFiles.load(pem(ec.certificatePem(), ec.keyPem())).keyType()).isEqualTo("EC");
    }

    @Test
    void aChainIsKeptInFileOrder() {
        ServerCertificate loaded = CertificateFiles.load(pem(chained.certificatePem(), chained.keyPem()));
        assertThat(loaded.chain()).containsExactlyElementsOf(chained.chain());
        assertThat(loaded.chain()).hasSize(2);
    }

    @Test
    void traditionalRsaAndEcKeysLoad() throws Exception {
        Path pkcs1 = openssl(rsa.keyPem(), "rsa-pkcs1.pem");
        Path sec1 = openssl(ec.keyPem(), "ec-sec1.pem");
        assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(sec1)).contains("BEGIN EC PRIVATE KEY");

        assertThat(CertificateFiles.load(pem(rsa.certificatePem(), pkcs1)).key()).isEqualTo(rsa.key());
        assertThat(CertificateFiles.load(pem(ec.certificatePem(), sec1)).key().getEncoded()).isNotEmpty();
    }

    @Test
    void certificateAndKeyMayShareOneFile() throws Exception {
        Path both = dir.resolve("both.pem");
        Files.writeString(both, Files.readString(rsa.certificatePem()) + Files.readString(rsa.keyPem()));
        assertThat(CertificateFiles.load(pem(both, both)).leaf()).isEqualTo(rsa.leaf());
    }

    @Test
    void pkcs12Loads() {
        ServerCertificate loaded = CertificateFiles.load(new CertificateSource.Pkcs12("t", chained.keystore(), TestCertificates.PASSWORD));
        assertThat(loaded.chain()).containsExactlyElementsOf(chained.chain());
    }

    @Test
    void aMissingFileNamesTheKeyAndThePath() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> CertificateFiles.load(pem(missing, rsa.keyPem())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.listen[0].tls.certificate")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> CertificateFiles.load(pem(rsa.certificatePem(), missing)))
                .hasMessageContaining("server.listen[0].tls.key").hasMessageContaining(missing.toString());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        assertThatThrownBy(() -> CertificateFiles.load(pem(rsa.certificatePem(), chained.keyPem())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.listen[0].tls")
                .hasMessageContaining("does not belong to the first certificate");
    }

    @Test
    void encryptedKeysAndFilesWithoutBlocksAreNamed() throws Exception {
        Path encrypted = dir.resolve("encrypted.pem");
        Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> CertificateFiles.load(pem(rsa.certificatePem(), encrypted)))
                .hasMessageContaining("server.listen[0].tls.key").hasMessageContaining("encrypted private keys are not supported");
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "nothing here");
        assertThatThrownBy(() -> CertificateFiles.load(pem(empty, rsa.keyPem())))
                .hasMessageContaining("server.listen[0].tls.certificate").hasMessageContaining("no CERTIFICATE block in " + empty);
    }

    @Test
    void aWrongKeystorePasswordNamesThePasswordKey() {
        assertThatThrownBy(() -> CertificateFiles.load(new CertificateSource.Pkcs12("server.listen[1].tls", rsa.keystore(), "wrong")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.listen[1].tls.password")
                .hasMessageContaining(rsa.keystore().toString());
    }

    @Test
    void unsupportedCiphersAreNamedByTheirIndex() {
        TlsSettings settings = new TlsSettings("server.listen[0].tls", List.of(pem(rsa.certificatePem(), rsa.keyPem())),
                List.of("TLSv1.3"), List.of("TLS_AES_128_GCM_SHA256", "TLS_NO_SUCH_CIPHER"), false, Optional.empty(), Optional.empty(),
                io.gatehouse.server.config.TlsBuffers.AUTO);
        assertThatThrownBy(() -> ServerTls.create(settings, true))
                .hasMessageContaining("server.listen[0].tls.ciphers[1]").hasMessageContaining("TLS_NO_SUCH_CIPHER");
    }

    private static Path openssl(Path pkcs8, String name) throws Exception {
        Path out = dir.resolve(name);
        Process process;
        try {
            process = new ProcessBuilder("openssl", "pkey", "-in", pkcs8.toString(), "-traditional", "-out", out.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeThat(false).as("openssl is installed").isTrue();
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return out;
    }
}
