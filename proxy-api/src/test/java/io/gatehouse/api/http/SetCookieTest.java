package io.gatehouse.api.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SetCookieTest {

    @Test
    void aBareCookie() {
        assertThat(SetCookie.of("side", "blue").headerValue()).isEqualTo("side=blue");
    }

    @Test
    void everyAttributeInAFixedOrder() {
        SetCookie cookie = SetCookie.of("side", "blue").sameSite(SetCookie.SameSite.LAX).httpOnly(true).secure(true)
                .maxAge(Duration.ofHours(1)).path("/");
        assertThat(cookie.headerValue()).isEqualTo("side=blue; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax");
        assertThat(cookie).hasToString(cookie.headerValue());
        assertThat(cookie.maxAge()).contains(Duration.ofHours(1));
        assertThat(cookie.sameSite()).contains(SetCookie.SameSite.LAX);
    }

    @Test
    void aTemplateIsImmutableAndTakesEachResponsesValue() {
        SetCookie template = SetCookie.of("lb", "").path("/").httpOnly(true);
        SetCookie a = template.withValue("a1");
        SetCookie b = template.withValue("b2").httpOnly(false);
        assertThat(template.headerValue()).isEqualTo("lb=; Path=/; HttpOnly");
        assertThat(a.headerValue()).isEqualTo("lb=a1; Path=/; HttpOnly");
        assertThat(b.headerValue()).isEqualTo("lb=b2; Path=/");
        assertThat(a).isEqualTo(template.withValue("a1")).isNotEqualTo(b);
    }

    @Test
    void maxAgeZeroDeletesAndWholeSecondsAreWritten() {
        assertThat(SetCookie.of("a", "b").maxAge(Duration.ZERO).headerValue()).isEqualTo("a=b; Max-Age=0");
        assertThat(SetCookie.of("a", "b").maxAge(Duration.ofMillis(2500)).headerValue()).isEqualTo("a=b; Max-Age=2");
    }

    @Test
    void refusesWhatWouldBreakTheField() {
        assertThatThrownBy(() -> SetCookie.of("a b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.of("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.of("a", "x;y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.of("a", "x y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.of("a", "x").withValue("\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.of("a", "x").path("x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.of("a", "x").path("/a;Domain=evil")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.of("a", "x").maxAge(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
