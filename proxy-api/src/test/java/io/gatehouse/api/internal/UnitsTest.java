package io.gatehouse.api.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnitsTest {

    @Test
    void parsesEveryDurationUnit() {
        assertThat(Units.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Units.parseDuration("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Units.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Units.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Units.parseDuration("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void durationToleratesSurroundingAndInnerWhitespace() {
        assertThat(Units.parseDuration("  30 s ")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void minutesAndMillisecondsAreNotConfused() {
        assertThat(Units.parseDuration("5m")).isEqualTo(Duration.ofSeconds(300));
        assertThat(Units.parseDuration("5ms")).isEqualTo(Duration.ofMillis(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "abc", "-1s", "1.5s", "", "s", "2 seconds", "2S", "1w"})
    void rejectsMalformedDurationsSayingWhatIsExpected(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a duration")
                .hasMessageContaining("500ms")
                .hasMessageContaining("\"" + text + "\"");
    }

    @Test
    void rejectsDurationAmountBeyondLong() {
        assertThatThrownBy(() -> Units.parseDuration("99999999999999999999s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("99999999999999999999s");
    }
    @Test
    void rejectsDurationOverflowWithIllegalArgumentException() {
        assertThatThrownBy(() -> Units.parseDuration("999999999999999d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Units.parseDuration("9999999999999999h"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesBinarySizes() {
        assertThat(Units.parseSize("512B")).isEqualTo(512L);
        assertThat(Units.parseSize("8KiB")).isEqualTo(8L * 1024);
        assertThat(Units.parseSize("64MiB")).isEqualTo(64L * 1024 * 1024);
        assertThat(Units.parseSize("2GiB")).isEqualTo(2147483648L);
    }

    @Test
    void bareNumberIsBytes() {
        assertThat(Units.parseSize("1234")).isEqualTo(1234L);
        assertThat(Units.parseSize("0")).isZero();
    }

    @Test
    void decimalUnitsArePowersOfThousand() {
        assertThat(Units.parseSize("3KB")).isEqualTo(3_000L);
        assertThat(Units.parseSize("5MB")).isEqualTo(5_000_000L);
        assertThat(Units.parseSize("7GB")).isEqualTo(7_000_000_000L);
    }

    @Test
    void shortBinaryUnitsAreAccepted() {
        assertThat(Units.parseSize("1K")).isEqualTo(1024L);
        assertThat(Units.parseSize("1M")).isEqualTo(1L << 20);
        assertThat(Units.parseSize("1G")).isEqualTo(1L << 30);
        assertThat(Units.parseSize(" 16 KiB ")).isEqualTo(16L * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 TB", "x", "-1B", "1.5MiB", "", "KiB", "10 bytes"})
    void rejectsMalformedSizesSayingWhatIsExpected(String text) {
        assertThatThrownBy(() -> Units.parseSize(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a size")
                .hasMessageContaining("8KiB")
                .hasMessageContaining("\"" + text + "\"");
    }

    @Test
    void rejectsSizeOverflow() {
        assertThatThrownBy(() -> Units.parseSize("99999999999GiB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large")
                .hasMessageContaining("99999999999GiB");
        assertThatThrownBy(() -> Units.parseSize("99999999999999999999"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void largestSizeThatFitsIsAccepted() {
        assertThat(Units.parseSize("8589934591GiB")).isEqualTo(8589934591L << 30);
    }
}
