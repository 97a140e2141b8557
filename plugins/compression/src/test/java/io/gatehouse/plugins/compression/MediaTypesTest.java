package io.gatehouse.plugins.compression;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediaTypesTest {

    @Test
    void exactTopLevelAndSuffixPatternsIgnoringParametersAndCase() {
        MediaTypes types = MediaTypes.of(MediaTypes.DEFAULTS);
        assertThat(types.matches(Optional.of("text/html; charset=utf-8"))).isTrue();
        assertThat(types.matches(Optional.of("Application/JSON"))).isTrue();
        assertThat(types.matches(Optional.of("application/problem+json"))).isTrue();
        assertThat(types.matches(Optional.of("application/atom+xml"))).isTrue();
        assertThat(types.matches(Optional.of("image/png"))).isFalse();
        assertThat(types.matches(Optional.of("application/octet-stream"))).isFalse();
        assertThat(types.matches(Optional.empty())).isFalse();
    }

    @Test
    void aPatternOfNoKnownFormIsRefused() {
        assertThatThrownBy(() -> MediaTypes.of(List.of("text"))).hasMessageContaining("'text' is not a media type");
        assertThatThrownBy(() -> MediaTypes.of(List.of("*/*"))).hasMessageContaining("is not a media type");
    }
}
