package io.gatehouse.server.tracing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TraceParentTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";

    @Test
    void aVersion00ValueIsParsed() {
        assertThat(TraceParent.parse("00-" + TRACE + "-" + PARENT + "-01"))
                .hasValue(new TraceParent(TRACE, PARENT, true));
        assertThat(TraceParent.parse("00-" + TRACE + "-" + PARENT + "-00"))
                .hasValue(new TraceParent(TRACE, PARENT, false));
    }

    @Test
    void onlyTheSampledBitOfTheFlagsCounts() {
        assertThat(TraceParent.parse("00-" + TRACE + "-" + PARENT + "-03").orElseThrow().sampled()).isTrue();
        assertThat(TraceParent.parse("00-" + TRACE + "-" + PARENT + "-02").orElseThrow().sampled()).isFalse();
    }

    @Test
    void surroundingSpacesAreIgnored() {
        assertThat(TraceParent.parse(" \t00-" + TRACE + "-" + PARENT + "-01 ")).isPresent();
    }

    @Test
    void aHigherVersionIsReadByItsPrefix() {
        assertThat(TraceParent.parse("01-" + TRACE + "-" + PARENT + "-01")).hasValue(new TraceParent(TRACE, PARENT, true));
        assertThat(TraceParent.parse("cc-" + TRACE + "-" + PARENT + "-01-what-the-future-will-be-like"))
                .hasValue(new TraceParent(TRACE, PARENT, true));
        assertThat(TraceParent.parse("cc-" + TRACE + "-" + PARENT + "-01x")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "00",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff is invalid
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", // version 00 has exactly 55 characters
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0", // too short
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // uppercase
            "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // uppercase version
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", // flags not hex
            "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // separators
            "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01", // misplaced dash
            "00-4bf92f3577b34da6a3ce929d0e0e47z6-00f067aa0ba902b7-01", // not hex
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba9 2b7-01",
    })
    void invalidValuesAreRefused(String value) {
        assertThat(TraceParent.parse(value)).isEmpty();
    }
}
