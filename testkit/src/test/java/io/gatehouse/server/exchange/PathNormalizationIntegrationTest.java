package io.gatehouse.server.exchange;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.server.testing.TestFilters;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The path is normalised once, at intake: a {@code when:}-scoped filter (here a deny with 403
 * on {@code /admin}) cannot be walked around by another spelling of the same path, the origin
 * receives the normal form, and a path that has none is refused before any filter.
 */
class PathNormalizationIntegrationTest {

    private static TestOrigin origin;
    private static EmbeddedGatehouse proxy;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start(request -> Reply.ok("origin saw " + request.target()));
        proxy = EmbeddedGatehouse.builder().upstream(origin)
                .filters(List.of(new TestFilters.Answer(), new RawTargetEcho()))
                .config("""
                        filters:
                          - { type: answer, name: deny-admin, when: { path-prefix: /admin }, config: { status: 403 } }
                          - { type: raw-target-echo }
                        """)
                .start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    private static String send(String target) {
        try (RawConnection raw = proxy.raw()) {
            return raw.send("GET " + target + " HTTP/1.1\r\nHost: shop.example\r\n\r\n").readResponse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/admin", "/admin/users", "/x/../admin", "//admin", "/%61dmin", "/admin;x", "/admin;jsessionid=1/users",
            "/./admin/", "/public/%2e%2e/admin", "/public/..;x/admin", "/public/.%2E//%61dmin;p/./users?q=1"})
    void everySpellingOfTheAdminPathIsDeniedByTheWhenScopedFilter(String target) {
        int before = origin.requestCount();

        String answer = send(target);

        assertThat(answer).startsWith("HTTP/1.1 403").contains("answered by filter");
        assertThat(origin.requestCount()).as("requests that reached the origin").isEqualTo(before);
    }

    @Test
    void pathsOutsideTheScopeReachTheOriginInTheirNormalForm() {
        String answer = send("/a/./b/../%7euser//x;p=1/caf%c3%a9?q=%2e%2E/../");

        assertThat(answer).startsWith("HTTP/1.1 200").contains("origin saw /a/~user/x/caf%C3%A9?q=%2e%2E/../");
        ReceivedRequest received = origin.lastRequest();
        assertThat(received.target()).isEqualTo("/a/~user/x/caf%C3%A9?q=%2e%2E/../");
        assertThat(received.header("X-Raw-Target")).hasValue("/a/./b/../%7euser//x;p=1/caf%c3%a9?q=%2e%2E/../");
        assertThat(send("/adminx")).startsWith("HTTP/1.1 200").contains("origin saw /adminx");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/../admin | the path climbs above the root",
            "/public/%2e%2e/%2e%2e/admin | the path climbs above the root",
            "/admin%2Fusers | encoded slash or backslash in the path",
            "/public/..%2Fadmin | encoded slash or backslash in the path",
            "/admin%5cusers | encoded slash or backslash in the path",
            "/admin%00 | encoded control character in the path",
            "/%zzadmin | bad percent-encoding in the path",
            "/admin%4 | bad percent-encoding in the path",
            "/public\\..\\admin | invalid character in the path",
    })
    void aPathWithoutANormalFormIsRefusedBeforeAnyFilter(String target, String reason) {
        int before = origin.requestCount();

        String answer = send(target);

        assertThat(answer).startsWith("HTTP/1.1 400").contains("Connection: close").endsWith("Bad Request: " + reason + "\n");
        assertThat(origin.requestCount()).isEqualTo(before);
    }

    /** {@code raw-target-echo}: hands the origin the target as the client sent it, in {@code X-Raw-Target}. */
    static final class RawTargetEcho implements ProxyFilterFactory<Object> {
        @Override
        public String type() {
            return "raw-target-echo";
        }

        @Override
        public Object parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            return exchange -> {
                exchange.request().headers().set("X-Raw-Target", exchange.request().rawTarget());
                return FilterResult.proceed();
            };
        }
    }
}
