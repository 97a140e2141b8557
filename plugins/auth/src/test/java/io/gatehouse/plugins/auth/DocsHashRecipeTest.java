package io.gatehouse.plugins.auth;

import io.gatehouse.api.Keys;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recipe in docs/auth.md ("Making hashes") that makes an API key and its salted SHA-256 hash
 * with openssl, run as the page shows it: the key it prints passes with the hash it prints.
 */
class DocsHashRecipeTest {

    private static final Path PAGE = Path.of("../../docs/auth.md");
    private static final Pattern PRINTED = Pattern.compile("key: +(\\S+)\\s+hash: (\\S+)");

    private static String recipe() throws Exception {
        String page = Files.readString(PAGE);
        int command = page.indexOf("openssl dgst -sha256");
        assertThat(command).as("the sha256 recipe in " + PAGE).isPositive();
        int start = page.lastIndexOf("```sh", command) + "```sh".length();
        return page.substring(start, page.indexOf("```", command));
    }

    @Test
    void theDocumentedSha256RecipeMakesAKeyAndAHashThatPass() throws Exception {
        Process shell = new ProcessBuilder("bash", "-c", recipe()).redirectErrorStream(true).start();
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String printed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.exitValue()).as(printed).isZero();
        Matcher output = PRINTED.matcher(printed);
        assertThat(output.find()).as(printed).isTrue();

        Map<String, Object> config = Map.of("api-key", Map.of("keys", List.of(Map.of("consumer", "docs", "hash", output.group(2)))));
        try (FilterHarness harness = FilterHarness.of(new AuthFilterFactory(), config)) {
            TestExchange right = TestExchange.get("/").header("X-Api-Key", output.group(1));
            assertThat(harness.request(right).proceeds()).isTrue();
            assertThat(right.attribute(Keys.CONSUMER)).hasValue("docs");
            assertThat(harness.request(TestExchange.get("/").header("X-Api-Key", output.group(1) + "x")).proceeds()).isFalse();
        }
    }
}
