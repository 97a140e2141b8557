package io.gatehouse.api.http;

import io.gatehouse.api.HttpFields;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CookiesTest {

    @Test
    void readsANamedCookieAmongOthers() {
        HttpFields headers = HttpFields.of("Cookie", "a=1; session=abc; b=2");
        assertThat(Cookies.get(headers, "session")).contains("abc");
        assertThat(Cookies.get(headers, "a")).contains("1");
        assertThat(Cookies.get(headers, "b")).contains("2");
        assertThat(Cookies.get(headers, "c")).isEmpty();
    }

    @Test
    void readsEveryCookieFieldInOrderAndTheFirstMatchWins() {
        HttpFields headers = HttpFields.of("Cookie", "a=1", "Accept", "*/*", "Cookie", "session=abc; a=2");
        assertThat(Cookies.get(headers, "session")).contains("abc");
        assertThat(Cookies.get(headers, "a")).contains("1");
    }

    @Test
    void namesAreExactAndCaseSensitive() {
        HttpFields headers = HttpFields.of("Cookie", "xsession=1; Session=2; session_id=3");
        assertThat(Cookies.get(headers, "session")).isEmpty();
        assertThat(Cookies.get(headers, "Session")).contains("2");
    }

    @Test
    void toleratesExtraSpaceQuotesEmptyValuesAndJunk() {
        HttpFields headers = HttpFields.of("Cookie", " ;junk; a = 1 ;q=\"quoted\";empty=;last=x=y ");
        assertThat(Cookies.get(headers, "a")).contains("1");
        assertThat(Cookies.get(headers, "q")).contains("quoted");
        assertThat(Cookies.get(headers, "empty")).contains("");
        assertThat(Cookies.get(headers, "last")).contains("x=y");
        assertThat(Cookies.get(headers, "junk")).isEmpty();
    }

    @Test
    void noCookieFieldMeansNoCookie() {
        assertThat(Cookies.get(HttpFields.empty(), "a")).isEmpty();
    }
}
