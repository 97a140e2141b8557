package io.gatehouse.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyTest {

    @Test
    void keysWithTheSameNameAndTypeAreDistinct() {
        Key<String> a = Key.of("consumer", String.class);
        Key<String> b = Key.of("consumer", String.class);
        assertThat(a).isNotEqualTo(b);
        assertThat(a).isEqualTo(a);
        assertThat(a.name()).isEqualTo(b.name()).isEqualTo("consumer");
    }

    @Test
    void keyWorksAsIdentityMapKey() {
        Key<String> a = Key.of("k", String.class);
        Key<String> b = Key.of("k", String.class);
        java.util.Map<Key<?>, Object> map = new java.util.HashMap<>();
        map.put(a, "va");
        map.put(b, "vb");
        assertThat(map).hasSize(2);
        assertThat(map.get(a)).isEqualTo("va");
        assertThat(map.get(b)).isEqualTo("vb");
    }

    @Test
    void castChecksTheType() {
        Key<Integer> key = Key.of("count", Integer.class);
        assertThat(key.cast(5)).isEqualTo(5);
        assertThat(key.cast(null)).isNull();
        assertThatThrownBy(() -> key.cast("five")).isInstanceOf(ClassCastException.class);
    }

    @Test
    void nullsRejected() {
        assertThatThrownBy(() -> Key.of(null, String.class)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Key.of("x", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringShowsNameAndType() {
        assertThat(Key.of("consumer", String.class)).hasToString("Key[consumer: String]");
    }
}
