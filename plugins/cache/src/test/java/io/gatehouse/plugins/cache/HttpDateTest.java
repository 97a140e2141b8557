package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9110 §5.6.7 dates, and the Expires and Age rules of RFC 9111 §5.1 and §5.3 (issue #14 items 3 to 5). */
class HttpDateTest {

    private static final long NOV_1994 = 784111777L;
    private static final long NOW = 1_700_000_000L; // 2023-11-14

    @Test
    void theThreeFormsAreRead() {
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).contains(NOV_1994);
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).contains(NOV_1994);
        assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994", NOW)).contains(NOV_1994);
        assertThat(HttpDate.parse("Sun Nov 16 08:49:37 1994", NOW)).contains(NOV_1994 + 10 * 86400);
        assertThat(HttpDate.parse("Thu, 01 Jan 1970 00:00:00 GMT", NOW)).contains(0L);
    }

    @Test
    void aWeekdayThatDoesNotMatchTheDateIsTolerated() {
        assertThat(HttpDate.parse("Mon, 06 Nov 1994 08:49:37 GMT", NOW)).contains(NOV_1994);
        assertThat(HttpDate.parse("Friday, 06-Nov-94 08:49:37 GMT", NOW)).contains(NOV_1994);
    }

    @Test
    void aTwoDigitYearMoreThanFiftyYearsAheadIsInThePastCentury() {
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).contains(NOV_1994);
        long in2073 = HttpDate.parse("Monday, 06-Nov-73 08:49:37 GMT", NOW).orElseThrow(); // 50 years ahead at most: this century
        assertThat(in2073).isGreaterThan(NOW);
        long in1974 = HttpDate.parse("Monday, 14-Nov-74 08:49:37 GMT", NOW).orElseThrow(); // more than 50 years ahead: 1974
        assertThat(in1974).isLessThan(0L + 5 * 365 * 86400);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Sun, 06 Nov 1994 8:49:37 GMT", // one-digit hour
            "06 Nov 1994 08:49:37 GMT", // no weekday
            "Sun, 06 Nov 1994 08:49:37 +0000", // not GMT
            "Sun, 06 nov 1994 08:49:37 GMT", // lower-case month
            "sun, 06 Nov 1994 08:49:37 GMT", // lower-case weekday
            "Sun, 6 Nov 1994 08:49:37 GMT", // one-digit day
            "Sun, 06 Nov 94 08:49:37 GMT", // two-digit year in IMF-fixdate
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT ",
            "Sun, 06-Nov-94 08:49:37 GMT", // RFC 850 needs the full weekday
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994", // asctime pads the day with a space
            "Sun Nov  6 08:49:37 1994 GMT",
            "0", "-1", "", "yesterday"})
    void anythingElseIsNotADate(String value) {
        assertThat(HttpDate.parse(value, NOW)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sun, 06 Nov 2094 8:49:37 GMT", "06 Nov 2094 08:49:37 GMT", "Sun, 06 Nov 2094 08:49:37 +0000",
            "Sun, 06 nov 2094 08:49:37 GMT", "0"})
    void anInvalidExpiresMeansAlreadyExpired(String expires) {
        assertThat(Freshness.lifetime(200, HttpFields.of("Expires", expires), Directives.NONE, NOW, 10, Duration.ofDays(1))).isZero();
    }

    @Test
    void severalExpiresLinesMakeTheFieldInvalid() {
        String later = Freshness.format(NOW + 100);
        HttpFields two = HttpFields.of("Date", Freshness.format(NOW), "Expires", later, "Expires", later);
        assertThat(Freshness.lifetime(200, two, Directives.NONE, NOW, 10, Duration.ofDays(1))).isZero();
        HttpFields one = HttpFields.of("Date", Freshness.format(NOW), "Expires", later);
        assertThat(Freshness.lifetime(200, one, Directives.NONE, NOW, 10, Duration.ofDays(1))).isEqualTo(100);
    }

    @Test
    void aListedAgeUsesItsFirstValue() {
        assertThat(Freshness.initialAge(HttpFields.of("Age", "7200, 0"), NOW, NOW)).isEqualTo(7200);
        assertThat(Freshness.initialAge(HttpFields.of("Age", "7200", "Age", "0"), NOW, NOW)).isEqualTo(7200);
    }

    @Test
    void aHugeAgeIsCappedAtTwoToTheThirtyFirst() {
        assertThat(Freshness.initialAge(HttpFields.of("Age", "99999999999999999999999"), NOW, NOW)).isEqualTo(2147483648L);
        assertThat(Freshness.initialAge(HttpFields.of("Age", "4294967296"), NOW, NOW)).isEqualTo(2147483648L);
        assertThat(Freshness.initialAge(HttpFields.of("Age", "2147483648"), NOW, NOW)).isEqualTo(2147483648L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "abc", "5s", "", "1.5"})
    void aNonNumericOrNegativeAgeIsIgnored(String age) {
        assertThat(Freshness.initialAge(HttpFields.of("Age", age), NOW - 2, NOW)).isEqualTo(2);
    }
}
