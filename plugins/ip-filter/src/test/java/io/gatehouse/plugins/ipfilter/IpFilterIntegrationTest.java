package io.gatehouse.plugins.ipfilter;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Through a real proxy in front of a real origin: the client address is the one the core's
 * trusted-proxy rules resolve, a denied client gets 403 and the origin sees nothing, and a list
 * file changed on disk takes effect without a restart.
 */
class IpFilterIntegrationTest {

    @TempDir
    Path dir;

    private static HttpResponse<String> getAs(EmbeddedGatehouse gatehouse, String forwardedFor) {
        return gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/orders")).timeout(Duration.ofSeconds(10))
                .header("X-Forwarded-For", forwardedFor).build());
    }

    @Test
    void behindATrustedProxyTheForwardedClientIsFilteredAndADeniedOneNeverReachesTheOrigin() {
        try (TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config("""
                     server:
                       forwarding: { trusted-proxies: ["127.0.0.1/32", "::1/128"] }
                     filters:
                       - type: ip-filter
                         config:
                           allow: [ "198.51.100.0/24", "2001:db8::/32" ]
                           deny: [ "198.51.100.66" ]
                     """).filters(new IpFilterFactory()).upstream(origin).start()) {
            HttpResponse<String> denied = getAs(gatehouse, "198.51.100.66");
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo("Forbidden\n");
            assertThat(getAs(gatehouse, "203.0.113.1").statusCode()).as("not on the allow list").isEqualTo(403);
            assertThat(origin.requestCount()).as("the origin saw nothing").isZero();

            assertThat(getAs(gatehouse, "198.51.100.7").statusCode()).isEqualTo(200);
            assertThat(getAs(gatehouse, "2001:db8::7").statusCode()).isEqualTo(200);
            assertThat(origin.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void aClientThatIsNotATrustedProxyCannotForgeItsAddress() {
        try (TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config("""
                     filters:
                       - type: ip-filter
                         config: { deny: [ "127.0.0.0/8", "::1" ] }
                     """).filters(new IpFilterFactory()).upstream(origin).start()) {
            assertThat(getAs(gatehouse, "198.51.100.7").statusCode()).isEqualTo(403);
            assertThat(origin.requestCount()).isZero();
        }
    }

    @Test
    void aChangedDenyFileTakesEffectWithoutARestart() throws Exception {
        Path deny = Files.writeString(dir.resolve("deny.txt"), "# empty for now\n");
        try (TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config("""
                     server:
                       forwarding: { trusted-proxies: ["127.0.0.1/32", "::1/128"] }
                     filters:
                       - type: ip-filter
                         config: { deny-file: "%s", watch-interval: 50ms }
                     """.formatted(deny)).filters(new IpFilterFactory()).upstream(origin).start()) {
            assertThat(getAs(gatehouse, "192.0.2.9").statusCode()).isEqualTo(200);

            Files.writeString(deny, "192.0.2.0/24\n");
            Files.setLastModifiedTime(deny, FileTime.from(Instant.now().plusSeconds(5)));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> getAs(gatehouse, "192.0.2.9").statusCode() == 403);
            assertThat(getAs(gatehouse, "192.0.3.1").statusCode()).isEqualTo(200);
        }
    }
}
