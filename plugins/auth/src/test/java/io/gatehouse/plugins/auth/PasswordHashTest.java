package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHashTest {

    private static boolean matches(String hash, String secret) {
        return PasswordHash.parse(hash, "k").matches(secret.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void saltedSha256MatchesOnlyItsKeyAndIsFast() {
        String hash = Hashes.sha256("k-3f9a1c");
        assertThat(matches(hash, "k-3f9a1c")).isTrue();
        assertThat(matches(hash, "k-3f9a1d")).isFalse();
        assertThat(PasswordHash.parse(hash, "k").slow()).isFalse();
    }

    @Test
    void theSameKeyWithAnotherSaltHashesDifferently() {
        assertThat(Hashes.sha256("same")).isNotEqualTo(Hashes.sha256("same"));
    }

    @Test
    void bcryptAsHtpasswdWritesIt() {
        String hash = Hashes.bcrypt("correct horse");
        assertThat(matches(hash, "correct horse")).isTrue();
        assertThat(matches(hash, "correct horsE")).isFalse();
        assertThat(matches(hash.replace("$2b$", "$2y$"), "correct horse")).as("htpasswd -B writes $2y$").isTrue();
        assertThat(PasswordHash.parse(hash, "k").slow()).isTrue();
    }

    @Test
    void bcryptReadsTheFirst72BytesOfALongPassword() {
        String long80 = "p".repeat(80);
        String hash = Hashes.bcrypt(long80.substring(0, 72));
        assertThat(matches(hash, long80)).isTrue();
    }

    @Test
    void argon2idInThePhcFormat() {
        String hash = Hashes.argon2id("s3cret pass");
        assertThat(matches(hash, "s3cret pass")).isTrue();
        assertThat(matches(hash, "s3cret pas")).isFalse();
    }

    @Test
    void pbkdf2InThePhcAndPasslibFormats() {
        String phc = Hashes.pbkdf2("pässword", false);
        String passlib = Hashes.pbkdf2("pässword", true);
        assertThat(matches(phc, "pässword")).isTrue();
        assertThat(matches(passlib, "pässword")).isTrue();
        assertThat(matches(phc, "password")).isFalse();
    }

    @Test
    void plainTextIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> PasswordHash.parse("hunter2", "filters[0].config.basic.users[0].hash"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("filters[0].config.basic.users[0].hash: not a supported hash ($sha256$, bcrypt $2b$, $argon2id$, "
                        + "$pbkdf2-sha256$); plain-text secrets are refused");
    }

    @Test
    void malformedAndOutOfRangeHashesAreRefused() {
        assertThatThrownBy(() -> PasswordHash.parse("$2b$17$" + "a".repeat(53), "k")).hasMessageContaining("cost must be 4 to 16");
        assertThatThrownBy(() -> PasswordHash.parse("$2b$10$short", "k")).hasMessageContaining("not a bcrypt hash");
        assertThatThrownBy(() -> PasswordHash.parse("$argon2id$v=19$m=4194304,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "k"))
                .hasMessageContaining("Argon2 parameters out of range");
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$i=10$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "k"))
                .hasMessageContaining("iterations must be 1000 to 10000000");
        assertThatThrownBy(() -> PasswordHash.parse("$sha256$!!!$abc", "k")).hasMessageContaining("not valid Base64");
        assertThatThrownBy(() -> PasswordHash.parse("$sha256$c2FsdHNhbHQ=$c2hvcnQ=", "k")).hasMessageContaining("32 bytes");
    }
}
