package io.gatehouse.plugins.accesslog;

import io.gatehouse.api.HttpFields;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    private final Redaction redaction = new Redaction(Set.of("token", "API_KEY"), Set.of("authorization"));

    @Test
    void namedQueryParametersAreHiddenWhereverTheyAre() {
        assertThat(redaction.query("token=abc&x=1")).isEqualTo("token=REDACTED&x=1");
        assertThat(redaction.query("x=1&api_key=k&token")).isEqualTo("x=1&api_key=REDACTED&token=REDACTED");
        assertThat(redaction.query("x=1&tokens=a")).isEqualTo("x=1&tokens=a");
        assertThat(redaction.query("")).isEmpty();
    }

    @Test
    void namedHeadersAreHidden() {
        HttpFields fields = HttpFields.of("Authorization", "Bearer t", "Accept", "a", "Accept", "b");
        assertThat(redaction.header(fields, "AUTHORIZATION")).hasValue("REDACTED");
        assertThat(redaction.header(fields, "Accept")).hasValue("a, b");
        assertThat(redaction.header(fields, "Cookie")).isEmpty();
    }

    @Test
    void jsonAndCombinedEscapingKeepsALineOneLine() {
        StringBuilder json = new StringBuilder();
        JsonFormat.string(json, "a\"b\\c\nd\u0001");
        assertThat(json.toString()).isEqualTo("\"a\\\"b\\\\c\\u000ad\\u0001\"");
        StringBuilder plain = new StringBuilder();
        LineFormat.appendEscaped(plain, "a\"b\r\n");
        assertThat(plain.toString()).isEqualTo("a\\\"b\\x0d\\x0a");
        assertThat(Field.millis(12_345_678)).isEqualTo("12.345");
        assertThat(Field.millis(5_000)).isEqualTo("0.005");
    }
}
