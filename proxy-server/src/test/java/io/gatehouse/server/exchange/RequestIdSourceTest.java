package io.gatehouse.server.exchange;

import io.gatehouse.server.config.RequestIds;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdSourceTest {

    private static BasicHttpRequest withIds(String... values) {
        BasicHttpRequest request = new BasicHttpRequest("GET", null, null, "/");
        for (String value : values) {
            request.addHeader("X-Request-Id", value);
        }
        return request;
    }

    @Test
    void aTrustedProxysValidIdIsKept() {
        assertThat(RequestIdSource.choose(withIds("abc-123"), true, RequestIds.DEFAULT)).isEqualTo("abc-123");
    }

    @Test
    void anUntrustedClientsIdIsReplaced() {
        assertThat(RequestIdSource.choose(withIds("abc-123"), false, RequestIds.DEFAULT)).isNotEqualTo("abc-123");
    }

    @Test
    void invalidOrRepeatedIdsAreReplacedEvenFromATrustedProxy() {
        for (String bad : new String[] {"", "a b", "x".repeat(201), "caf\u00e9", "a\"b", "a\\b", "a\tb"}) {
            assertThat(RequestIdSource.choose(withIds(bad), true, RequestIds.DEFAULT)).as(bad).isNotEqualTo(bad);
        }
        assertThat(RequestIdSource.choose(withIds("a", "b"), true, RequestIds.DEFAULT)).isNotIn("a", "b");
        assertThat(RequestIdSource.valid("x".repeat(200))).isTrue();
    }

    @Test
    void theConfiguredFieldIsRead() {
        BasicHttpRequest request = new BasicHttpRequest("GET", null, null, "/");
        request.addHeader("X-Correlation-Id", "corr-1");
        assertThat(RequestIdSource.choose(request, true, new RequestIds(true, "X-Correlation-Id"))).isEqualTo("corr-1");
    }

    @Test
    void generatedIdsAreUniqueCompactAndValid() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIdSource.generate();
            assertThat(RequestIdSource.valid(id)).isTrue();
            assertThat(seen.add(id)).isTrue();
        }
        assertThat(RequestIdSource.generate()).matches("[0-9a-f]{12}-[0-9a-f]+");
    }
}
