package io.gatehouse.plugins.auth;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.testkit.ManualScheduler;
import io.gatehouse.api.testkit.TestExchange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * JWT validation with a warm key cache (the keys and their verifiers built once, as after the
 * first JWKS fetch): {@code validate} is the check alone (parse, allowed algorithm, key lookup by
 * {@code kid} among three keys, signature, claims); {@code filter} is the whole {@code onRequest}
 * of an auth filter on a fresh exchange (field removal and identity fields included), with the
 * cache of verified tokens off ({@code cache-ttl: 0s}); {@code filterRemembered} the same with
 * the cache on, the token seen before (a client reusing its token).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JwtValidationBenchmark {

    @Param({"RS256", "ES256", "EdDSA"})
    public String algorithm;

    private JwtValidator validator;
    private JwtKeys keys;
    private String token;
    private ProxyFilter filter;
    private ProxyFilter remembering;
    private final java.time.Instant now = Tokens.NOW.plusSeconds(60);

    @Setup(Level.Trial)
    public void setUp() {
        Tokens.SigningKey key = switch (algorithm) {
            case "RS256" -> Tokens.rsa("signing");
            case "ES256" -> Tokens.ec("signing", JWSAlgorithm.ES256);
            default -> Tokens.ed25519("signing");
        };
        String jwks = Tokens.jwks(Tokens.rsa("old"), key, Tokens.ec("other", JWSAlgorithm.ES256));
        Map<String, Object> jwt = Map.of("keys", List.of(jwks), "algorithms", List.of("RS256", "ES256", "EdDSA"),
                "issuer", "https://id.example.com", "audience", "orders-api");
        JwtSettings settings = JwtSettings.parse(PluginConfig.of("jwt", jwt));
        validator = new JwtValidator(settings);
        keys = settings.staticKeys();
        token = Tokens.sign(key, Tokens.with(Map.of("scope", "orders:read orders:write", "groups", List.of("staff"))));

        AuthFilterFactory factory = new AuthFilterFactory();
        ManualScheduler time = ManualScheduler.startingAt(now);
        Map<String, Object> uncached = new java.util.HashMap<>(jwt);
        uncached.put("cache-ttl", "0s");
        filter = factory.create(factory.parseConfig(PluginConfig.of("config", Map.of("jwt", uncached))), TestContext.of(time, Runnable::run));
        remembering = factory.create(factory.parseConfig(PluginConfig.of("config", Map.of("jwt", jwt))), TestContext.of(time, Runnable::run));
        if (!(validate() instanceof JwtValidator.Valid) || !filter().proceeds() || !filterRemembered().proceeds()) {
            throw new IllegalStateException("the benchmark's token does not validate");
        }
    }

    @TearDown
    public void tearDown() {
        filter.close();
        remembering.close();
    }

    @Benchmark
    public JwtValidator.Result validate() {
        return validator.verify((JwtValidator.Parsed) validator.parse(token), keys, now);
    }

    @Benchmark
    public FilterResult filter() {
        return filter.onRequest(TestExchange.get("/orders").header("Authorization", "Bearer " + token)).toCompletableFuture().join();
    }

    @Benchmark
    public FilterResult filterRemembered() {
        return remembering.onRequest(TestExchange.get("/orders").header("Authorization", "Bearer " + token)).toCompletableFuture().join();
    }
}
