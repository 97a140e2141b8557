package io.gatehouse.plugins.cache;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangesTest {

    private static ByteRanges.Ask parse(String field) {
        return ByteRanges.parse(field, 1000);
    }

    @Test
    void theThreeFormsOfARangeWithinTheBody() {
        assertThat(parse("bytes=0-499")).isEqualTo(new ByteRanges.Parts(List.of(new ByteRanges.Part(0, 499)), 1000));
        assertThat(parse("bytes=500-")).isEqualTo(new ByteRanges.Parts(List.of(new ByteRanges.Part(500, 999)), 1000));
        assertThat(parse("bytes=-100")).isEqualTo(new ByteRanges.Parts(List.of(new ByteRanges.Part(900, 999)), 1000));
        assertThat(parse("BYTES= 0-0 , ,-1")).isEqualTo(new ByteRanges.Parts(
                List.of(new ByteRanges.Part(0, 0), new ByteRanges.Part(999, 999)), 1000));
    }

    @Test
    void partsReachingPastTheEndAreCutAndThoseBeyondItDropped() {
        assertThat(parse("bytes=900-5000")).isEqualTo(new ByteRanges.Parts(List.of(new ByteRanges.Part(900, 999)), 1000));
        assertThat(parse("bytes=-5000")).isEqualTo(new ByteRanges.Parts(List.of(new ByteRanges.Part(0, 999)), 1000));
        assertThat(parse("bytes=2000-3000, 10-19")).isEqualTo(new ByteRanges.Parts(List.of(new ByteRanges.Part(10, 19)), 1000));
    }

    @Test
    void nothingWithinTheBodyIsUnsatisfiable() {
        assertThat(parse("bytes=1000-")).isEqualTo(new ByteRanges.Unsatisfiable(1000));
        assertThat(parse("bytes=-0")).isEqualTo(new ByteRanges.Unsatisfiable(1000));
        assertThat(ByteRanges.parse("bytes=0-10", 0)).isEqualTo(new ByteRanges.Unsatisfiable(0));
    }

    @Test
    void anotherUnitBadSyntaxOrTooManyPartsMeanTheWholeBody() {
        for (String field : List.of("items=0-1", "bytes=", "bytes=5-1", "bytes=a-b", "bytes=1-2-3", "bytes=0x1-2", "bytes= - ",
                "bytes=1-2" + ",3-4".repeat(ByteRanges.MAX_PARTS), "bytes=99999999999999999999-")) {
            assertThat(parse(field)).as(field).isEqualTo(new ByteRanges.Whole());
        }
    }
}
