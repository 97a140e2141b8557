package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Response;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.ManualScheduler;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyTest {

    static final String BILLING_KEY = "gh7Kq2VNx0aL5tEw9RbC3sYpZ1uM8dFj";
    static final String CI_KEY = "ci.Xw4pQ8sN2vLk6tRz0aYb7mCe3hJd9fGu";

    static Map<String, Object> config(Map<String, Object> apiKey) {
        return Map.of("api-key", apiKey);
    }

    static Map<String, Object> keys() {
        return Map.of("keys", List.of(
                Map.of("consumer", "billing", "groups", List.of("billing", "reports"), "hash", Hashes.sha256(BILLING_KEY)),
                Map.of("id", "ci", "consumer", "ci-bot", "hash", Hashes.argon2id(CI_KEY))));
    }

    static Map<String, Object> with(Map<String, Object> base, Object... more) {
        Map<String, Object> copy = new java.util.HashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            copy.put((String) more[i], more[i + 1]);
        }
        return copy;
    }

    @Test
    void aKnownKeyInTheHeaderPassesWithItsConsumerAndIsNotForwarded() {
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), config(keys()))) {
            TestExchange exchange = TestExchange.get("/orders").header("X-Api-Key", BILLING_KEY);

            assertThat(harness.request(exchange).proceeds()).isTrue();
            assertThat(exchange.attribute(Keys.CONSUMER)).hasValue("billing");
            assertThat(exchange.request().headers().first("X-Consumer")).hasValue("billing");
            assertThat(exchange.request().headers().first("X-Consumer-Groups")).hasValue("billing,reports");
            assertThat(exchange.request().headers().contains("X-Api-Key")).as("the key never reaches the origin").isFalse();
        }
    }

    @Test
    void aKeyInTheQueryPassesAndIsRemovedFromTheTarget() {
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), config(with(keys(), "query", "api_key")))) {
            TestExchange exchange = TestExchange.get("/orders?x=1&api_key=" + BILLING_KEY + "&y=2");
            assertThat(harness.request(exchange).proceeds()).isTrue();
            assertThat(exchange.request().target()).isEqualTo("/orders?x=1&y=2");

            TestExchange only = TestExchange.get("/orders?api_key=" + BILLING_KEY);
            assertThat(harness.request(only).proceeds()).isTrue();
            assertThat(only.request().target()).isEqualTo("/orders");
        }
    }

    @Test
    void aWrongMissingDuplicatedOrOversizedKeyGets401WithTheSameAnswer() {
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), config(keys()))) {
            Response wrong = refused(harness, TestExchange.get("/").header("X-Api-Key", BILLING_KEY + "x"));
            Response twice = refused(harness, TestExchange.get("/").header("X-Api-Key", BILLING_KEY).header("X-Api-Key", BILLING_KEY));
            Response huge = refused(harness, TestExchange.get("/").header("X-Api-Key", "k".repeat(5000)));
            Response binary = refused(harness, TestExchange.get("/").header("X-Api-Key", "caf\u00e9"));
            for (Response r : List.of(wrong, twice, huge, binary)) {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.headers().first("WWW-Authenticate")).hasValue("ApiKey realm=\"gatehouse\"");
                assertThat(new String(r.body())).isEqualTo("Unauthorized: invalid credentials\n");
            }
            Response none = refused(harness, TestExchange.get("/"));
            assertThat(none.status()).isEqualTo(401);
            assertThat(new String(none.body())).isEqualTo("Unauthorized: authentication required\n");
        }
    }

    static Response refused(FilterHarness harness, TestExchange exchange) {
        FilterResult result = harness.request(exchange);
        assertThat(result.proceeds()).as("refused").isFalse();
        return result.response().orElseThrow();
    }

    @Test
    void aClientCannotForgeTheIdentityFields() {
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), config(keys()))) {
            TestExchange exchange = TestExchange.get("/").header("X-Api-Key", BILLING_KEY)
                    .header("X-Consumer", "admin").header("x-consumer-groups", "admins");
            assertThat(harness.request(exchange).proceeds()).isTrue();
            assertThat(exchange.request().headers().all("X-Consumer")).containsExactly("billing");
            assertThat(exchange.request().headers().all("X-Consumer-Groups")).containsExactly("billing,reports");
        }
    }

    @Test
    void aKeyWithAPasswordHashIsCheckedOnTheBlockingExecutorNeverOnTheCallingThread() {
        ManualScheduler time = ManualScheduler.startingAt(Tokens.NOW);
        try (FilterHarness harness = FilterHarness.builder(new AuthFilterFactory()).config(config(keys())).scheduler(time).build()) {
            TestExchange exchange = TestExchange.get("/").header("X-Api-Key", CI_KEY);
            CompletableFuture<FilterResult> pending = harness.requestAsync(exchange);
            assertThat(pending).as("the Argon2 check waits for the blocking executor").isNotDone();

            time.runDueTasks();
            assertThat(pending).isCompletedWithValueMatching(FilterResult::proceeds);
            assertThat(exchange.attribute(Keys.CONSUMER)).hasValue("ci-bot");

            CompletableFuture<FilterResult> again = harness.requestAsync(TestExchange.get("/").header("X-Api-Key", CI_KEY));
            assertThat(again).as("a remembered match needs no hashing").isCompletedWithValueMatching(FilterResult::proceeds);

            CompletableFuture<FilterResult> wrong = harness.requestAsync(TestExchange.get("/").header("X-Api-Key", CI_KEY + "0"));
            time.runDueTasks();
            assertThat(wrong.join().response().orElseThrow().status()).isEqualTo(401);
        }
    }

    @Test
    void aWatchedKeyFileIsReloadedAndABadChangeKeepsTheKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.yaml");
        Files.writeString(file, "keys:\n  - { consumer: billing, hash: \"" + Hashes.sha256(BILLING_KEY) + "\" }\n");
        ManualScheduler time = ManualScheduler.startingAt(Tokens.NOW);
        try (FilterHarness harness = FilterHarness.builder(new AuthFilterFactory())
                .config(config(Map.of("file", file.toString(), "watch-interval", "1s"))).scheduler(time).build()) {
            assertThat(harness.request(TestExchange.get("/").header("X-Api-Key", BILLING_KEY)).proceeds()).isTrue();

            Files.writeString(file, "keys:\n  - { consumer: reports, hash: \"" + Hashes.sha256("new-key-0123456789") + "\" }\n");
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            time.advance(Duration.ofSeconds(1));
            time.runDueTasks();
            assertThat(refused(harness, TestExchange.get("/").header("X-Api-Key", BILLING_KEY)).status()).as("revoked").isEqualTo(401);
            TestExchange fresh = TestExchange.get("/").header("X-Api-Key", "new-key-0123456789");
            assertThat(harness.request(fresh).proceeds()).isTrue();
            assertThat(fresh.attribute(Keys.CONSUMER)).hasValue("reports");

            Files.writeString(file, "keys:\n  - { consumer: reports, hash: hunter2-secret }\n");
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
            time.advance(Duration.ofSeconds(1));
            time.runDueTasks();
            assertThat(harness.request(TestExchange.get("/").header("X-Api-Key", "new-key-0123456789")).proceeds()).isTrue();
            assertThat(harness.filter().status().orElseThrow()).contains("last change of the key file refused")
                    .contains(file + ".keys[0].hash: not a supported hash").doesNotContain("hunter2-secret");
        }
    }

    @Test
    void configErrorsNameTheKey() {
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), config(Map.of("keys",
                List.of(Map.of("consumer", "a", "hash", "s3cret"))))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("filters[0].config.api-key.keys[0].hash: not a supported hash");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), config(Map.of("keys",
                List.of(Map.of("consumer", "a", "hash", Hashes.bcrypt("x")))))))
                .hasMessageStartingWith("filters[0].config.api-key.keys[0].hash: a key with a password hash needs an id");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), config(Map.of("keys", List.of(
                Map.of("id", "a", "consumer", "a", "hash", Hashes.sha256("a.1")),
                Map.of("id", "a", "consumer", "b", "hash", Hashes.sha256("a.2")))))))
                .hasMessage("filters[0].config.api-key.keys[1].id: the id a is used twice");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), config(Map.of())))
                .hasMessage("filters[0].config.api-key.keys: give keys, or a file of keys");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), config(with(keys(), "heder", "X"))))
                .hasMessageStartingWith("filters[0].config.api-key.heder: unknown key");
        assertThatThrownBy(() -> FilterHarness.of(new AuthFilterFactory(), config(Map.of("keys",
                List.of(Map.of("consumer", "a b", "hash", Hashes.sha256("x")))))))
                .hasMessageStartingWith("filters[0].config.api-key.keys[0].consumer: names are");
    }
}
