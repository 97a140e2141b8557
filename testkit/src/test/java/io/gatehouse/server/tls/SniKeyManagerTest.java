package io.gatehouse.server.tls;

import io.gatehouse.server.config.CertificateSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The choice of a certificate by requested name and key type, and replacing the set. */
class SniKeyManagerTest {

    @TempDir
    static Path dir;
    private static ServerCertificate fallbackRsa;
    private static ServerCertificate fallbackEc;
    private static ServerCertificate exactRsa;
    private static ServerCertificate wildcardEc;

    @BeforeAll
    static void generate() throws Exception {
        fallbackRsa = load(TestCertificates.selfSigned(dir, "d-rsa", "RSA", "default.test"));
        fallbackEc = load(TestCertificates.selfSigned(dir, "d-ec", "EC", "default.test"));
        exactRsa = load(TestCertificates.selfSigned(dir, "exact", "RSA", "api.test"));
        wildcardEc = load(TestCertificates.selfSigned(dir, "wild", "EC", "*.apps.test"));
    }

    private static ServerCertificate load(TestCertificates.Generated generated) {
        return CertificateFiles.load(new CertificateSource.Pem("t", generated.certificatePem(), generated.keyPem()));
    }

    private static SniKeyManager manager(boolean reject) {
        return new SniKeyManager(List.of(fallbackRsa, fallbackEc, exactRsa, wildcardEc), reject);
    }

    private static ServerCertificate chosen(SniKeyManager keys, String keyType, String name) {
        String alias = keys.choose(keyType, name);
        return alias == null ? null : keys.certificates().stream()
                .filter(c -> keys.getCertificateChain(alias)[0].equals(c.leaf())).findFirst().orElseThrow();
    }

    @Test
    void anExactNameWinsAndOnlyItsKeyTypeIsOffered() {
        SniKeyManager keys = manager(false);
        assertThat(chosen(keys, "RSA", "api.test")).isEqualTo(exactRsa);
        assertThat(chosen(keys, "EC", "api.test")).as("the JDK then asks for RSA").isNull();
    }

    @Test
    void aWildcardCoversOneLabel() {
        SniKeyManager keys = manager(false);
        assertThat(chosen(keys, "EC", "a.apps.test")).isEqualTo(wildcardEc);
        assertThat(chosen(keys, "EC", "b.a.apps.test")).isEqualTo(fallbackEc);
        assertThat(chosen(keys, "EC", "apps.test")).isEqualTo(fallbackEc);
    }

    @Test
    void unknownNamesAndNoNameGetTheDefaultOfTheAskedKeyType() {
        SniKeyManager keys = manager(false);
        assertThat(chosen(keys, "RSA", "other.test")).isEqualTo(fallbackRsa);
        assertThat(chosen(keys, "EC", "other.test")).isEqualTo(fallbackEc);
        assertThat(chosen(keys, "EC", null)).isEqualTo(fallbackEc);
    }

    @Test
    void unknownNamesCanBeRejected() {
        SniKeyManager keys = manager(true);
        assertThat(keys.choose("RSA", "other.test")).isNull();
        assertThat(keys.choose("EC", "other.test")).isNull();
        assertThat(chosen(keys, "RSA", null)).as("no name: the default").isEqualTo(fallbackRsa);
    }

    @Test
    void aReplacedSetServesNewChoicesWhileEarlierAliasesStillResolve() {
        SniKeyManager keys = manager(false);
        String before = keys.choose("RSA", "api.test");
        keys.replace(List.of(wildcardEc));

        assertThat(keys.getCertificateChain(before)[0]).isEqualTo(exactRsa.leaf());
        assertThat(chosen(keys, "EC", "api.test")).isEqualTo(wildcardEc);
        assertThat(keys.choose("RSA", "api.test")).isNull();
    }
}
