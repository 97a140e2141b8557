package io.gatehouse.plugins.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.outbound.OutboundRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The validated {@code jwt} section of an auth filter.
 *
 * @param algorithms the accepted algorithms ({@code none} never is)
 * @param issuer the required {@code iss}, if any
 * @param audiences accepted {@code aud} values (one must be in the token); empty: not checked
 * @param clockSkew how far {@code exp} and {@code nbf} may be off
 * @param requireExpiry whether a token without {@code exp} is refused
 * @param maxTokenSize the longest token read, in characters
 * @param consumerClaim the claim naming the consumer
 * @param groupsClaim the claim listing groups
 * @param scopeClaim the claim holding scopes (a space-separated string or a list)
 * @param staticKeys keys from {@code keys}, {@code key-file} and {@code hmac-secret}
 * @param remote where to fetch more keys: a JWKS URL or an issuer's discovery document
 * @param forwardCredentials whether {@code Authorization} goes on to the origin (default: removed)
 * @param cache how verified tokens are remembered, and how many EC and EdDSA checks may wait at once
 */
record JwtSettings(Set<JWSAlgorithm> algorithms, Optional<String> issuer, Set<String> audiences, Duration clockSkew,
                   boolean requireExpiry, int maxTokenSize, String consumerClaim, String groupsClaim, String scopeClaim,
                   JwtKeys staticKeys, Optional<RemoteSettings> remote, boolean forwardCredentials,
                   CacheSettings cache) {

    private static final Set<String> KEYS = Set.of("algorithms", "issuer", "audience", "clock-skew", "require-exp",
            "max-token-size", "consumer-claim", "groups-claim", "scope-claim", "keys", "key-file", "hmac-secret",
            "jwks-url", "discovery", "jwks", "forward-credentials", "cache-ttl", "cache-size", "max-pending");
    private static final Set<String> SUPPORTED = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA", "Ed25519", "HS256", "HS384", "HS512");

    /**
     * Where and how keys are fetched.
     *
     * @param jwksUrl the JWKS URL, or empty to discover it from the issuer
     * @param issuer the issuer whose {@code /.well-known/openid-configuration} names the JWKS
     * @param refreshInterval how often the keys are fetched again
     * @param minRefreshInterval the least time between two fetches (an unknown {@code kid} asks for one)
     * @param timeout the longest one call may take
     * @param maxWait how long a request waits for keys being fetched
     * @param maxSize the largest JWKS or discovery document read
     */
    record RemoteSettings(Optional<String> jwksUrl, Optional<String> issuer, Duration refreshInterval,
                          Duration minRefreshInterval, Duration timeout, Duration maxWait, long maxSize) {
    }

    static JwtSettings parse(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        Set<JWSAlgorithm> algorithms = algorithms(config);
        Optional<String> issuer = config.findString("issuer");
        JwtKeys keys = staticKeys(config, algorithms);
        Optional<String> jwksUrl = config.findString("jwks-url").map(url -> url(url, config.path("jwks-url")));
        boolean discovery = config.getBoolean("discovery", jwksUrl.isEmpty() && keys.size() == 0);
        if (discovery && issuer.isEmpty()) {
            throw new ConfigException(config.path("issuer"), "give the keys: issuer (discovery), jwks-url, keys, key-file or hmac-secret");
        }
        if (discovery && jwksUrl.isPresent()) {
            throw new ConfigException(config.path("discovery"), "either jwks-url or discovery, not both");
        }
        issuer.filter(i -> discovery).ifPresent(i -> url(i, config.path("issuer")));
        Optional<RemoteSettings> remote = jwksUrl.isPresent() || discovery
                ? Optional.of(remote(config.getSection("jwks"), jwksUrl, issuer)) : Optional.empty();
        boolean asymmetric = algorithms.stream().anyMatch(a -> !a.getName().startsWith("HS"));
        if (asymmetric && remote.isEmpty() && keys.size() == countHmac(config)) {
            throw new ConfigException(config.path("algorithms"), "asymmetric algorithms need keys, key-file, jwks-url or issuer");
        }
        return new JwtSettings(algorithms, issuer, Set.copyOf(config.getStringList("audience")),
                duration(config, "clock-skew", Duration.ofSeconds(60), Duration.ofMinutes(10)),
                config.getBoolean("require-exp", true), (int) config.getSize("max-token-size", 8192, 512, 65_536),
                config.getString("consumer-claim", "sub"), config.getString("groups-claim", "groups"),
                config.getString("scope-claim", "scope"), keys, remote, config.getBoolean("forward-credentials", false),
                CacheSettings.parse(config));
    }

    private static int countHmac(PluginConfig config) {
        return config.has("hmac-secret") ? 1 : 0;
    }

    private static Set<JWSAlgorithm> algorithms(PluginConfig config) {
        List<String> names = config.has("algorithms") ? config.getStringList("algorithms") : List.of("RS256");
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String key = config.path("algorithms") + "[" + i + "]";
            if (name.toLowerCase(Locale.ROOT).equals("none")) {
                throw new ConfigException(key, "unsigned tokens (none) are never accepted");
            }
            if (!SUPPORTED.contains(name)) {
                throw new ConfigException(key, "expected one of " + String.join(", ", new java.util.TreeSet<>(SUPPORTED))
                        + ", got \"" + name + "\"");
            }
            algorithms.add(JWSAlgorithm.parse(name));
        }
        if (algorithms.isEmpty()) {
            throw new ConfigException(config.path("algorithms"), "at least one algorithm is required");
        }
        return Set.copyOf(algorithms);
    }

    private static JwtKeys staticKeys(PluginConfig config, Set<JWSAlgorithm> algorithms) {
        List<JWK> jwks = new ArrayList<>();
        List<String> texts = config.getStringList("keys");
        for (int i = 0; i < texts.size(); i++) {
            jwks.addAll(KeyMaterial.parse(texts.get(i), config.path("keys") + "[" + i + "]"));
        }
        config.findString("key-file").ifPresent(file -> {
            try {
                jwks.addAll(KeyMaterial.parse(Files.readString(Path.of(file)), config.path("key-file")));
            } catch (IOException e) {
                throw new ConfigException(config.path("key-file"), "cannot read " + file);
            }
        });
        List<String> unusable = new ArrayList<>();
        JwtKeys keys = JwtKeys.of(jwks, unusable::add);
        if (!unusable.isEmpty()) {
            throw new ConfigException(config.path(config.has("keys") ? "keys" : "key-file"), unusable.get(0)
                    + " (RSA keys need at least " + JwtKeys.MIN_RSA_BITS + " bits)");
        }
        Optional<String> secret = config.findString("hmac-secret");
        boolean hmacAllowed = algorithms.stream().anyMatch(a -> a.getName().startsWith("HS"));
        if (secret.isPresent() != hmacAllowed) {
            throw new ConfigException(config.path(secret.isPresent() ? "hmac-secret" : "algorithms"),
                    secret.isPresent() ? "an hmac-secret needs an HS algorithm in algorithms" : "HS algorithms need an hmac-secret");
        }
        if (secret.isPresent()) {
            byte[] bytes = secret.get().getBytes(StandardCharsets.UTF_8);
            int needed = algorithms.stream().filter(a -> a.getName().startsWith("HS"))
                    .mapToInt(a -> Integer.parseInt(a.getName().substring(2)) / 8).max().orElse(32);
            if (bytes.length < needed) {
                throw new ConfigException(config.path("hmac-secret"), "must be at least " + needed + " bytes for the HS algorithms listed");
            }
            try {
                keys = keys.plus(JwtKeys.hmac(bytes));
            } catch (JOSEException e) {
                throw new ConfigException(config.path("hmac-secret"), "not usable: " + e.getMessage());
            }
        }
        return keys;
    }

    private static RemoteSettings remote(PluginConfig jwks, Optional<String> jwksUrl, Optional<String> issuer) {
        jwks.requireKnownKeys(Set.of("refresh-interval", "min-refresh-interval", "timeout", "wait", "max-size"));
        Duration refresh = jwks.getPositiveDuration("refresh-interval", Duration.ofMinutes(10));
        Duration min = jwks.getPositiveDuration("min-refresh-interval", Duration.ofSeconds(30));
        if (min.compareTo(refresh) > 0) {
            throw new ConfigException(jwks.path("min-refresh-interval"), "must not be longer than refresh-interval");
        }
        return new RemoteSettings(jwksUrl, issuer, refresh, min, jwks.getPositiveDuration("timeout", Duration.ofSeconds(5)),
                jwks.getPositiveDuration("wait", Duration.ofSeconds(5)), jwks.getSize("max-size", 512 * 1024, 1024, 16 * 1024 * 1024));
    }

    private static String url(String url, String key) {
        try {
            OutboundRequest.get(url);
            return url;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    private static Duration duration(PluginConfig config, String key, Duration fallback, Duration max) {
        Duration value = config.getDuration(key, fallback);
        if (value.isNegative() || value.compareTo(max) > 0) {
            throw new ConfigException(config.path(key), "must be between 0s and " + max.toMinutes() + "m");
        }
        return value;
    }
}
