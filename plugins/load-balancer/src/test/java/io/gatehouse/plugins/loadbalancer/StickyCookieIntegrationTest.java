package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #20, item 6: a client must not be able to choose its endpoint by writing the sticky
 * cookie itself. The value is signed with the install's secret and reveals no address.
 */
class StickyCookieIntegrationTest {

    private static final String SECRET = "a-shared-secret-of-the-fleet-0123456789";

    private final List<TestOrigin> origins = new ArrayList<>();
    private final List<EmbeddedGatehouse> proxies = new ArrayList<>();

    @BeforeEach
    void startOrigins() {
        for (String name : List.of("a", "b", "c")) {
            origins.add(TestOrigin.start(Reply.ok(name)));
        }
    }

    @AfterEach
    void stop() {
        proxies.forEach(EmbeddedGatehouse::close);
        origins.forEach(TestOrigin::close);
    }

    private EmbeddedGatehouse start(String sticky) {
        EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config("""
                filters:
                  - type: load-balancer
                    config:
                      default-cluster: shop
                      clusters:
                        shop:
                          endpoints: [ "%s", "%s", "%s" ]
                          sticky: %s
                """.formatted(origins.get(0).url(), origins.get(1).url(), origins.get(2).url(), sticky))
                .filters(new LoadBalancerFilterFactory()).start();
        proxies.add(gatehouse);
        return gatehouse;
    }

    private static HttpResponse<String> get(EmbeddedGatehouse gatehouse, String cookie) {
        return gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/")).header("Cookie", cookie).build());
    }

    /** @return the {@code name=value} of the response's sticky cookie */
    private static String cookieOf(HttpResponse<String> response) {
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static Set<String> answersTo(EmbeddedGatehouse gatehouse, String cookie, int requests) {
        Set<String> answers = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            answers.add(get(gatehouse, cookie).body());
        }
        return answers;
    }

    @Test
    void aCookieComputedFromAnEndpointsAddressDoesNotPinToIt() {
        EmbeddedGatehouse gatehouse = start("{ cookie: lb }");
        // what anyone who read the source could compute for endpoint c: an unsalted hash of its URL
        String forged = "lb=" + Long.toHexString(ConsistentHash.hash("sticky:" + origins.get(2).url()));

        assertThat(answersTo(gatehouse, forged, 30)).as("a forged cookie is ignored: a normal pick").hasSizeGreaterThan(1);
        assertThat(get(gatehouse, forged).headers().firstValue("Set-Cookie")).as("and replaced by a signed one").isPresent();
    }

    @Test
    void theCookieIsAnOpaqueIdAndAMacAndATamperedOneIsIgnored() {
        EmbeddedGatehouse gatehouse = start("{ cookie: lb }");
        HttpResponse<String> first = get(gatehouse, "other=1");
        String cookie = cookieOf(first);
        String value = cookie.substring("lb=".length());
        assertThat(value).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22,}");
        for (TestOrigin origin : origins) {
            assertThat(value).doesNotContain(Integer.toString(origin.port()))
                    .doesNotContain(Long.toHexString(ConsistentHash.hash("sticky:" + origin.url())));
        }
        assertThat(answersTo(gatehouse, cookie, 20)).containsExactly(first.body());

        char last = value.charAt(value.length() - 1);
        String tampered = cookie.substring(0, cookie.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(answersTo(gatehouse, tampered, 30)).as("a bad MAC: a normal pick").hasSizeGreaterThan(1);
    }

    @Test
    void instancesWithTheSameSecretHonourEachOthersCookiesAndOthersDoNot() {
        EmbeddedGatehouse one = start("{ cookie: lb, secret: \"" + SECRET + "\" }");
        EmbeddedGatehouse two = start("{ cookie: lb, secret: \"" + SECRET + "\" }");
        EmbeddedGatehouse stranger = start("{ cookie: lb, secret: \"another-secret-of-another-fleet\" }");
        EmbeddedGatehouse generated = start("{ cookie: lb }");

        HttpResponse<String> first = get(one, "other=1");
        String cookie = cookieOf(first);
        assertThat(answersTo(two, cookie, 20)).containsExactly(first.body());
        assertThat(answersTo(stranger, cookie, 30)).hasSizeGreaterThan(1);
        assertThat(answersTo(generated, cookie, 30)).as("a secret generated at start is the instance's own").hasSizeGreaterThan(1);
    }
}
