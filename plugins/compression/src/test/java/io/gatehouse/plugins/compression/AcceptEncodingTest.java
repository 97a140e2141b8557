package io.gatehouse.plugins.compression;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Negotiation by Accept-Encoding as RFC 9110 §12.5.3 describes it. */
class AcceptEncodingTest {

    private static final List<Coding> ALL = List.of(Coding.BR, Coding.ZSTD, Coding.GZIP);

    private static Optional<Coding> choose(String... fields) {
        return AcceptEncoding.choose(List.of(fields), ALL);
    }

    @Test
    void theHeaviestAcceptableCodingWinsAndTiesGoToTheServersOrder() {
        assertThat(choose("gzip, deflate, br, zstd")).hasValue(Coding.BR); // what Chromium sends
        assertThat(choose("gzip, deflate, br")).hasValue(Coding.BR);        // Firefox, Safari
        assertThat(choose("gzip;q=1.0, br;q=0.5")).hasValue(Coding.GZIP);
        assertThat(choose("zstd;q=0.9, gzip;q=0.8")).hasValue(Coding.ZSTD);
        assertThat(choose("gzip")).hasValue(Coding.GZIP);
        assertThat(choose("x-gzip")).as("x-gzip is gzip (§8.4.1.3)").hasValue(Coding.GZIP);
        assertThat(choose("GZIP;Q=0.5")).hasValue(Coding.GZIP);
        assertThat(choose("gzip", "br")).as("several fields are one list").hasValue(Coding.BR);
    }

    @Test
    void aZeroWeightExcludesAndAStarCoversWhatIsNotNamed() {
        assertThat(choose("br;q=0, gzip")).hasValue(Coding.GZIP);
        assertThat(choose("*")).hasValue(Coding.BR);
        assertThat(choose("*;q=0.5, br;q=0")).hasValue(Coding.ZSTD);
        assertThat(choose("*;q=0")).isEmpty();
        assertThat(choose("gzip;q=0, *;q=0")).isEmpty();
    }

    @Test
    void identityAndWhatCannotBeUsedMeanNoCoding() {
        assertThat(choose()).as("no field: the client did not ask").isEmpty();
        assertThat(choose("")).isEmpty();
        assertThat(choose("identity")).isEmpty();
        assertThat(choose("deflate, compress")).isEmpty();
        assertThat(choose("identity;q=1, gzip;q=0.5")).as("identity preferred").isEmpty();
        assertThat(choose("gzip;q=abc")).as("a malformed weight is not a yes").isEmpty();
        assertThat(choose("gzip;q=1.5")).isEmpty();
    }

    @Test
    void onlyTheOfferedCodingsAreChosen() {
        assertThat(AcceptEncoding.choose(List.of("br, zstd, gzip"), List.of(Coding.GZIP))).hasValue(Coding.GZIP);
        assertThat(AcceptEncoding.choose(List.of("br"), List.of(Coding.GZIP))).isEmpty();
    }
}
