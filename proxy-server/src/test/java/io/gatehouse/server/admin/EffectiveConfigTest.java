package io.gatehouse.server.admin;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EffectiveConfigTest {

    @Test
    void keysNamedLikeSecretsAndPasswordsInUrlsAreRedacted() {
        Object redacted = EffectiveConfig.redact(Map.of(
                "admin", Map.of("token", "abc", "listen", "127.0.0.1:9901"),
                "filters", List.of(Map.of("type", "auth", "config", Map.of(
                        "client-secret", "s", "password", "p", "api-key", "k", "private-key-file", "/x",
                        "redis", Map.of("uri", "redis://user:pw@host:6379/0"), "realm", "api")))));

        assertThat(redacted.toString()).contains("token=(redacted)", "listen=127.0.0.1:9901", "client-secret=(redacted)",
                "password=(redacted)", "api-key=(redacted)", "private-key-file=(redacted)", "uri=redis://(redacted)@host:6379/0",
                "realm=api").doesNotContain("=abc", "=s,", "=p,", "=k,", "user:pw");
    }

    @Test
    void ordinaryKeysStay() {
        assertThat(EffectiveConfig.isSecret("path-prefix")).isFalse();
        assertThat(EffectiveConfig.isSecret("max-size")).isFalse();
        assertThat(EffectiveConfig.isSecret("key")).isTrue();
        assertThat(EffectiveConfig.isSecret("purge-token")).isTrue();
    }
}
