package io.gatehouse.server.exchange;

import io.gatehouse.server.config.Forwarding;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestAdmissionTest {

    private static final Forwarding RULES = new Forwarding(List.of(), true, "gatehouse");

    private static BasicHttpRequest get(String target) {
        BasicHttpRequest request = new BasicHttpRequest("GET", null, null, target);
        request.addHeader("Host", "shop.example");
        return request;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/x/../admin?q=/../, /admin?q=/../",
            "//admin, /admin",
            "/%61dmin, /admin",
            "/admin;x, /admin",
            "/a/b, /a/b",
            "*, *",
    })
    void theTargetsPathIsNormalisedBeforeAnyFilter(String target, String expected) {
        BasicHttpRequest request = get(target);

        assertThat(RequestAdmission.check(request, null, 100, RULES).refusal()).isEmpty();
        assertThat(request.getPath()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/../etc/passwd, PATH_ABOVE_ROOT",
            "/a/%2e%2e/%2e%2e/b, PATH_ABOVE_ROOT",
            "/%zz, PATH_BAD_PERCENT_ENCODING",
            "/a%2fb, PATH_ENCODED_SLASH",
            "/a%5Cb, PATH_ENCODED_SLASH",
            "/a%00, PATH_ENCODED_CONTROL",
            "/a\\b, PATH_INVALID_CHARACTER",
            "/a#b, PATH_INVALID_CHARACTER",
    })
    void aPathThatCannotBeNormalisedIsRefusedWithItsReason(String target, LocalResponses expected) {
        BasicHttpRequest request = get(target);

        assertThat(RequestAdmission.check(request, null, 100, RULES).refusal()).hasValue(expected);
        assertThat(request.getPath()).isEqualTo(target);
        assertThat(expected.status()).isEqualTo(400);
        assertThat(expected.detail()).isEqualTo("request_path_rejected");
    }

    @Test
    void anUnknownReasonGetsTheGeneralAnswer() {
        assertThat(LocalResponses.pathRefused("something new")).isEqualTo(LocalResponses.PATH_INVALID);
        assertThat(new String(LocalResponses.PATH_ENCODED_SLASH.response().body(), StandardCharsets.UTF_8))
                .isEqualTo("Bad Request: encoded slash or backslash in the path\n");
    }

    @Test
    void viaEntriesNamingThisProxyAreCountedWhateverTheirCaseVersionOrComment() {
        BasicHttpRequest request = get("/");
        request.addHeader("Via", "1.1 gatehouse, 1.1 cdn (Squid), HTTP/1.0 GateHouse");
        request.addHeader("Via", "1.0 gatehouse-2, 2 gatehouse (edge)");

        assertThat(RequestAdmission.timesVia(request, "gatehouse")).isEqualTo(3);
        assertThat(RequestAdmission.check(request, null, 100, RULES).refusal()).hasValue(LocalResponses.LOOP_DETECTED);
    }
}
