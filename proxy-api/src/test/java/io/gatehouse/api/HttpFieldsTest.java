package io.gatehouse.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpFieldsTest {

    private static List<String> dump(HttpFields fields) {
        List<String> out = new ArrayList<>();
        fields.forEach((name, value) -> out.add(name + ": " + value));
        return out;
    }

    @Test
    void ofLooksUpCaseInsensitively() {
        HttpFields fields = HttpFields.of("Content-Type", "text/plain", "X-Multi", "a", "x-multi", "b");
        assertThat(fields.first("content-type")).contains("text/plain");
        assertThat(fields.first("CONTENT-TYPE")).contains("text/plain");
        assertThat(fields.all("X-MULTI")).containsExactly("a", "b");
        assertThat(fields.contains("x-Multi")).isTrue();
        assertThat(fields.contains("Absent")).isFalse();
        assertThat(fields.first("Absent")).isEmpty();
        assertThat(fields.all("Absent")).isEmpty();
        assertThat(fields.size()).isEqualTo(3);
    }

    @Test
    void orderAndOriginalNameCasePreserved() {
        HttpFields fields = HttpFields.of("B", "1", "a", "2", "B", "3", "C", "4");
        assertThat(dump(fields)).containsExactly("B: 1", "a: 2", "B: 3", "C: 4");
        assertThat(fields.first("b")).contains("1");
    }

    @Test
    void ofRequiresPairs() {
        assertThatThrownBy(() -> HttpFields.of("X-A", "1", "X-B"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pairs");
    }

    @Test
    void ofIsImmutable() {
        HttpFields fields = HttpFields.of("X-A", "1");
        // Either the type offers no mutators, or every mutator refuses.
        if (fields instanceof MutableHttpFields mutable) {
            assertThatThrownBy(() -> mutable.add("X-B", "2")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> mutable.set("X-A", "2")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> mutable.remove("X-A")).isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(fields.first("X-A")).contains("1");
        assertThat(fields.size()).isEqualTo(1);
    }

    @Test
    void emptyHasNothing() {
        HttpFields empty = HttpFields.empty();
        assertThat(empty.size()).isZero();
        assertThat(empty.first("X")).isEmpty();
        assertThat(dump(empty)).isEmpty();
        assertThat(HttpFields.empty()).isSameAs(empty);
    }

    @Test
    void mutableAddKeepsExistingFields() {
        MutableHttpFields fields = MutableHttpFields.create();
        fields.add("Via", "1.1 a");
        fields.add("via", "1.1 b");
        assertThat(fields.all("VIA")).containsExactly("1.1 a", "1.1 b");
        assertThat(fields.size()).isEqualTo(2);
    }

    @Test
    void setReplacesAllFieldsOfTheNameAnyCase() {
        MutableHttpFields fields = MutableHttpFields.create();
        fields.add("X-A", "1");
        fields.add("Keep", "k");
        fields.add("x-a", "2");
        fields.set("X-a", "3");
        assertThat(fields.all("x-A")).containsExactly("3");
        assertThat(dump(fields)).containsExactly("Keep: k", "X-a: 3");
    }

    @Test
    void removeReportsWhetherRemoved() {
        MutableHttpFields fields = MutableHttpFields.create();
        fields.add("X-A", "1");
        fields.add("X-B", "2");
        fields.add("x-a", "3");
        assertThat(fields.remove("X-A")).isTrue();
        assertThat(dump(fields)).containsExactly("X-B: 2");
        assertThat(fields.remove("X-A")).isFalse();
        assertThat(fields.remove("Nope")).isFalse();
        assertThat(fields.size()).isEqualTo(1);
    }

    @Test
    void toImmutableIsASnapshotThatCannotBeChanged() {
        MutableHttpFields fields = MutableHttpFields.create();
        fields.add("X-A", "1");
        HttpFields snapshot = fields.toImmutable();
        fields.add("X-B", "2");
        fields.set("X-A", "changed");
        assertThat(dump(snapshot)).containsExactly("X-A: 1");
        assertThat(snapshot).isNotInstanceOf(MutableHttpFields.class); // no mutators to misuse
    }

    @Test
    void allReturnsUnmodifiableList() {
        MutableHttpFields fields = MutableHttpFields.create();
        fields.add("X-A", "1");
        List<String> all = fields.all("X-A");
        assertThatThrownBy(() -> all.add("2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringListsFields() {
        assertThat(HttpFields.of("A", "1", "B", "2")).hasToString("[A: 1, B: 2]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X A", "X:A", "", "X\tA", "X(A)", "X/A", "Ä", "X\"", "X\nA"})
    void invalidNamesRejected(String name) {
        MutableHttpFields fields = MutableHttpFields.create();
        assertThatThrownBy(() -> fields.add(name, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpFields.of(name, "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenCharactersAccepted() {
        MutableHttpFields fields = MutableHttpFields.create();
        fields.add("X-Weird!#$%&'*+.^_`|~09az", "v");
        assertThat(fields.first("x-weird!#$%&'*+.^_`|~09AZ")).contains("v");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\u0000b", "\r\n"})
    void valuesWithCrLfNulRejected(String value) {
        assertThatThrownBy(() -> HttpFields.of("X-A", value)).isInstanceOf(IllegalArgumentException.class);
        MutableHttpFields fields = MutableHttpFields.create();
        assertThatThrownBy(() -> fields.set("X-A", value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullValueRejected() {
        MutableHttpFields fields = MutableHttpFields.create();
        assertThatThrownBy(() -> fields.add("X-A", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyValueAndTabsAllowed() {
        MutableHttpFields fields = MutableHttpFields.create();
        fields.add("X-Empty", "");
        fields.add("X-Tab", "a\tb");
        assertThat(fields.first("X-Empty")).contains("");
        assertThat(fields.first("X-Tab")).contains("a\tb");
    }
    @Test
    void rejectedAddLeavesFieldsUnchanged() {
        MutableHttpFields fields = MutableHttpFields.create();
        fields.add("X-Keep", "k");
        assertThatThrownBy(() -> fields.add("X-A", "bad\r\nInjected: 1")).isInstanceOf(IllegalArgumentException.class);
        fields.add("X-B", "2");
        assertThat(dump(fields)).containsExactly("X-Keep: k", "X-B: 2");
        assertThat(fields.first("X-A")).isEmpty();
        assertThat(fields.first("X-B")).contains("2");
        assertThat(fields.size()).isEqualTo(2);
    }
    @Test
    void rejectedSetLeavesFieldsUnchanged() {
        MutableHttpFields fields = MutableHttpFields.create();
        fields.add("X-A", "1");
        assertThatThrownBy(() -> fields.set("X-A", "bad\n")).isInstanceOf(IllegalArgumentException.class);
        assertThat(fields.all("X-A")).containsExactly("1");
    }
}
