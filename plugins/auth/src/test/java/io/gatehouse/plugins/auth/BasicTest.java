package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.Response;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.ManualScheduler;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BasicTest {

    static final Map<String, Object> CONFIG = Map.of("realm", "orders", "basic", Map.of("users", List.of(
            Map.of("name", "alice", "groups", List.of("admins"), "hash", Hashes.bcrypt("wonderland")),
            Map.of("name", "bob", "hash", Hashes.pbkdf2("builder", false)))));

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theRightPasswordPassesAndTheCredentialStaysAtTheEdge() {
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), CONFIG)) {
            TestExchange exchange = TestExchange.get("/").header("Authorization", basic("alice", "wonderland"));
            assertThat(harness.request(exchange).proceeds()).isTrue();
            assertThat(exchange.attribute(Keys.CONSUMER)).hasValue("alice");
            assertThat(exchange.request().headers().first("X-Consumer-Groups")).hasValue("admins");
            assertThat(exchange.request().headers().contains("Authorization")).isFalse();

            TestExchange bob = TestExchange.get("/").header("Authorization", "basic " + basic("bob", "builder").substring(6));
            assertThat(harness.request(bob).proceeds()).as("the scheme is case-insensitive").isTrue();
        }
    }

    @Test
    void anUnknownUserAndAWrongPasswordGetTheSameAnswer() {
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), CONFIG)) {
            Response wrong = ApiKeyTest.refused(harness, TestExchange.get("/").header("Authorization", basic("alice", "wrong")));
            Response unknown = ApiKeyTest.refused(harness, TestExchange.get("/").header("Authorization", basic("mallory", "wonderland")));
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(unknown.headers().toString()).isEqualTo(wrong.headers().toString());
            assertThat(unknown.body()).isEqualTo(wrong.body());
            assertThat(wrong.headers().first("WWW-Authenticate")).hasValue("Basic realm=\"orders\", charset=\"UTF-8\"");
        }
    }

    @Test
    void malformedCredentialsGet401NeverAnError() {
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), CONFIG)) {
            List<String> bad = List.of("Basic", "Basic ", "Basic !!!notbase64!!!", "Basic " + b64("no-colon"),
                    "Basic " + b64(":nouser"), "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', 'x'}),
                    "Basic " + b64("alice:wonder\u0000land"), "Basic " + "A".repeat(10_000), "Basic a b");
            for (String value : bad) {
                Response response = ApiKeyTest.refused(harness, TestExchange.get("/").header("Authorization", value));
                assertThat(response.status()).as(value).isEqualTo(401);
            }
            Response twice = ApiKeyTest.refused(harness, TestExchange.get("/")
                    .header("Authorization", basic("alice", "wonderland")).header("Authorization", basic("alice", "wonderland")));
            assertThat(twice.status()).isEqualTo(401);
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hashingRunsOnTheBlockingExecutorAndAMatchIsRememberedBriefly() {
        ManualScheduler time = ManualScheduler.startingAt(Tokens.NOW);
        try (FilterHarness harness = FilterHarness.builder(new AuthFilterFactory()).config(CONFIG).scheduler(time).build()) {
            CompletableFuture<FilterResult> first = harness.requestAsync(TestExchange.get("/").header("Authorization", basic("alice", "wonderland")));
            CompletableFuture<FilterResult> concurrent = harness.requestAsync(TestExchange.get("/").header("Authorization", basic("alice", "wonderland")));
            assertThat(first).isNotDone();
            assertThat(time.pendingTasks()).as("one hash for both requests").isEqualTo(1);
            time.runDueTasks();
            assertThat(first).isCompletedWithValueMatching(FilterResult::proceeds);
            assertThat(concurrent).isCompletedWithValueMatching(FilterResult::proceeds);

            CompletableFuture<FilterResult> cached = harness.requestAsync(TestExchange.get("/").header("Authorization", basic("alice", "wonderland")));
            assertThat(cached).isCompletedWithValueMatching(FilterResult::proceeds);

            time.advance(java.time.Duration.ofSeconds(31));
            CompletableFuture<FilterResult> expired = harness.requestAsync(TestExchange.get("/").header("Authorization", basic("alice", "wonderland")));
            assertThat(expired).as("after cache-ttl (30s) it is hashed again").isNotDone();
            time.runDueTasks();
            assertThat(expired).isCompletedWithValueMatching(FilterResult::proceeds);
        }
    }

    @Test
    void aBlockingExecutorThatRefusesWorkGives503() {
        ManualScheduler time = ManualScheduler.startingAt(Tokens.NOW);
        AuthFilterFactory factory = new AuthFilterFactory();
        AuthConfig config = factory.parseConfig(PluginConfig.of("filters[0].config", CONFIG));
        try (ProxyFilter filter = factory.create(config, TestContext.of(time, task -> {
            throw new RejectedExecutionException("full");
        }))) {
            FilterResult result = filter.onRequest(TestExchange.get("/").header("Authorization", basic("alice", "wonderland")))
                    .toCompletableFuture().join();
            assertThat(result.response().orElseThrow().status()).isEqualTo(503);
            assertThat(filter.status().orElseThrow()).contains("overloaded=1");
        }
    }

    @Test
    void pastMaxPendingChecksTheAnswerIs503InsteadOfAQueue() {
        ManualScheduler time = ManualScheduler.startingAt(Tokens.NOW);
        Map<String, Object> config = Map.of("basic", Map.of("max-pending", 2, "users",
                List.of(Map.of("name", "alice", "hash", Hashes.bcrypt("wonderland")))));
        List<Runnable> queued = new ArrayList<>();
        AuthFilterFactory factory = new AuthFilterFactory();
        try (ProxyFilter filter = factory.create(factory.parseConfig(PluginConfig.of("c", config)), TestContext.of(time, queued::add))) {
            List<CompletableFuture<FilterResult>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(filter.onRequest(TestExchange.get("/").header("Authorization", basic("alice", "guess-" + i))).toCompletableFuture());
            }
            assertThat(queued).hasSize(2);
            assertThat(results.get(2).join().response().orElseThrow().status()).isEqualTo(503);
            queued.forEach(Runnable::run);
            assertThat(results.get(0).join().response().orElseThrow().status()).isEqualTo(401);
        }
    }

    @Test
    void plainTextPasswordsAndFastHashesAreRefusedInConfig() {
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), Map.of("basic", Map.of("users",
                List.of(Map.of("name", "alice", "password", "wonderland"))))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[0].config.basic.users[0].password: plain-text passwords are refused");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), Map.of("basic", Map.of("users",
                List.of(Map.of("name", "alice", "hash", "wonderland"))))))
                .hasMessageStartingWith("filters[0].config.basic.users[0].hash: not a supported hash");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), Map.of("basic", Map.of("users",
                List.of(Map.of("name", "alice", "hash", Hashes.sha256("wonderland")))))))
                .hasMessage("filters[0].config.basic.users[0].hash: a password needs a password hash (bcrypt, PBKDF2 or Argon2), not sha256");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), Map.of("basic", Map.of("users",
                List.of(Map.of("name", "al:ice", "hash", Hashes.bcrypt("x")))))))
                .hasMessageStartingWith("filters[0].config.basic.users[0].name: a user name cannot hold ':'");
    }
}
