package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8941 dictionaries, and targeted fields (RFC 9213) read as them (issue #14 item 6). */
class StructuredDictionaryTest {

    @Test
    void membersOfEveryType() {
        var d = StructuredDictionary.parse(List.of("max-age=60, no-store, a=?0, s=\"x\\\"y\", t=tok/1:2, d=10.5, b=:aGk=:, l=(1 2);p, k;q=1",
                "z=-3")).orElseThrow();
        assertThat(d.get("max-age")).isEqualTo(new StructuredDictionary.Item(StructuredDictionary.Type.INTEGER, "60"));
        assertThat(d.get("no-store").type()).isEqualTo(StructuredDictionary.Type.TRUE);
        assertThat(d.get("a").type()).isEqualTo(StructuredDictionary.Type.FALSE);
        assertThat(d.get("s")).isEqualTo(new StructuredDictionary.Item(StructuredDictionary.Type.STRING, "x\"y"));
        assertThat(d.get("t").type()).isEqualTo(StructuredDictionary.Type.TOKEN);
        assertThat(d.get("d").type()).isEqualTo(StructuredDictionary.Type.DECIMAL);
        assertThat(d.get("b").type()).isEqualTo(StructuredDictionary.Type.BYTES);
        assertThat(d.get("l").type()).isEqualTo(StructuredDictionary.Type.INNER_LIST);
        assertThat(d.get("k").type()).as("parameters do not change a member's value").isEqualTo(StructuredDictionary.Type.TRUE);
        assertThat(d.get("z")).isEqualTo(new StructuredDictionary.Item(StructuredDictionary.Type.INTEGER, "-3"));
        assertThat(StructuredDictionary.parse(List.of("a=1, a=2")).orElseThrow().get("a").value()).as("the last wins").isEqualTo("2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Max-Age=60", "max-age=60,", "max-age=60,,no-store", "max-age=\"10", "max-age=1234567890123456",
            "max-age=60 no-store", "a=@", "a=1.2345", "a=?2", "a=:!!:", "1a=1", "a=(1 2", "a=\"\u00e9\""})
    void anInvalidFieldIsRefusedWhole(String field) {
        assertThat(StructuredDictionary.parse(List.of(field))).isEmpty();
    }

    private static final ResponsePolicy POLICY = new ResponsePolicy(new CacheConfig(1 << 20, 1 << 16, 16, 10, Duration.ofDays(1),
            List.of("Gatehouse-Cache-Control", "CDN-Cache-Control"), List.of("Gatehouse-Cache-Control"), CacheKey.DEFAULT,
            Duration.ZERO, Optional.empty(), Optional.empty()));

    @Test
    void aTargetedMemberOfTheWrongTypeIsIgnored() {
        Directives quoted = POLICY.directives(HttpFields.of("Cache-Control", "max-age=5", "CDN-Cache-Control", "max-age=\"10\", no-store=?0"));
        assertThat(quoted.has("max-age")).isFalse();
        assertThat(quoted.has("no-store")).as("false is absent").isFalse();
        Directives decimal = POLICY.directives(HttpFields.of("CDN-Cache-Control", "max-age=10.5, must-revalidate"));
        assertThat(decimal.has("max-age")).isFalse();
        assertThat(decimal.has("must-revalidate")).isTrue();
        assertThat(POLICY.directives(HttpFields.of("CDN-Cache-Control", "max-age=10, private=\"Set-Cookie\"")).fieldNames("private"))
                .containsExactly("Set-Cookie");
        assertThat(POLICY.targeted(HttpFields.of("CDN-Cache-Control", "max-age=10"))).isTrue();
    }

    @Test
    void anInvalidTargetedFieldIsIgnoredSoCacheControlApplies() {
        HttpFields response = HttpFields.of("Cache-Control", "no-store", "CDN-Cache-Control", "Max-Age=60");
        assertThat(POLICY.directives(response).has("no-store")).isTrue();
        assertThat(POLICY.directives(response).has("max-age")).isFalse();
        assertThat(POLICY.targeted(response)).isFalse();
        HttpFields next = HttpFields.of("Gatehouse-Cache-Control", "max-age=60,", "CDN-Cache-Control", "max-age=30");
        assertThat(POLICY.directives(next).seconds("max-age")).as("the next targeted field").hasValue(30);
    }
}
