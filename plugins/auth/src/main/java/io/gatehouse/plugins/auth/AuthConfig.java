package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The validated config of one {@code auth} filter entry.
 *
 * @param realm the realm of the challenges
 * @param anonymous whether a request without credentials may pass (without identity) when the
 *     access rules allow it
 * @param apiKey API keys
 * @param basic HTTP Basic users
 * @param jwt JWT bearer tokens
 * @param forward forward auth (alone in its filter)
 * @param access the authorization rules
 * @param identity the fields that carry the identity to the origin
 */
record AuthConfig(String realm, boolean anonymous, Optional<ApiKeySettings> apiKey, Optional<BasicSettings> basic,
                  Optional<JwtSettings> jwt, Optional<ForwardSettings> forward, AccessPolicy access, IdentityHeaders identity) {

    private static final Set<String> KEYS = Set.of("realm", "anonymous", "api-key", "basic", "jwt", "forward", "require",
            "deny", "access", "identity");

    static AuthConfig parse(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        Optional<ApiKeySettings> apiKey = section(config, "api-key").map(ApiKeySettings::parse);
        Optional<BasicSettings> basic = section(config, "basic").map(BasicSettings::parse);
        Optional<JwtSettings> jwt = section(config, "jwt").map(JwtSettings::parse);
        Optional<ForwardSettings> forward = section(config, "forward").map(ForwardSettings::parse);
        if (apiKey.isEmpty() && basic.isEmpty() && jwt.isEmpty() && forward.isEmpty()) {
            throw new ConfigException(config.path("api-key"), "configure at least one of api-key, basic, jwt, forward");
        }
        if (forward.isPresent() && (apiKey.isPresent() || basic.isPresent() || jwt.isPresent())) {
            throw new ConfigException(config.path("forward"), "forward auth decides alone: put the other mechanisms in another auth filter");
        }
        boolean anonymous = config.getBoolean("anonymous", false);
        if (anonymous && forward.isPresent()) {
            throw new ConfigException(config.path("anonymous"), "with forward auth the auth service decides about anonymous requests");
        }
        return new AuthConfig(ConfigChecks.realm(config, "realm", "gatehouse"), anonymous, apiKey, basic, jwt, forward,
                AccessPolicy.parse(config),
                IdentityHeaders.parse(config.getSection("identity"), forward.map(ForwardSettings::responseHeaders).orElse(List.of())));
    }

    private static Optional<PluginConfig> section(PluginConfig config, String key) {
        return config.has(key) ? Optional.of(config.getSection(key)) : Optional.empty();
    }
}
