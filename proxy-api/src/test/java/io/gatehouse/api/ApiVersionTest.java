package io.gatehouse.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiVersionTest {

    @Test
    void currentIsTheFilteredBuildVersion() {
        assertThat(ApiVersion.current()).isEqualTo("0.2.0");
    }

    @Test
    void currentIsASemanticVersion() {
        assertThat(ApiVersion.current()).matches("\\d+\\.\\d+\\.\\d+").doesNotContain("${");
    }
}
