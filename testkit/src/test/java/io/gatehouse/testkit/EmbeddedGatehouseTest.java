package io.gatehouse.testkit;

import io.gatehouse.api.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedGatehouseTest {

    @Test
    void aRealProxyWithBuiltInFiltersInFrontOfAnOrigin() {
        try (TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
                     .config("filters: [ { type: mark, name: first, config: { label: a } } ]")
                     .filters(new TestFilterFactories.Mark())
                     .upstream(origin)
                     .start()) {
            HttpResponse<String> response = gatehouse.get("/hello?x=1");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("origin saw GET /hello?x=1");
            assertThat(response.headers().allValues("X-Trail")).containsExactly("a");
            assertThat(origin.lastRequest().header("X-Trail")).hasValue("a");
            assertThat(gatehouse.uri("/p").toString()).isEqualTo("http://127.0.0.1:" + gatehouse.port() + "/p");
        }
    }

    @Test
    void aReloadKeepsUnchangedInstancesAndRejectsABadConfiguration() {
        try (TestOrigin origin = TestOrigin.start();
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
                     .config("filters: [ { type: mark, name: kept, config: { label: a } }, { type: mark, name: changed, config: { label: b } } ]")
                     .filters(new TestFilterFactories.Mark())
                     .upstream(origin)
                     .start()) {
            gatehouse.get("/");
            gatehouse.get("/");

            List<String> carried = gatehouse.reload(
                    "filters: [ { type: mark, name: kept, config: { label: a } }, { type: mark, name: changed, config: { label: c } } ]");

            assertThat(carried).containsExactly("kept");
            assertThat(gatehouse.status("kept")).hasValue("requests 2");
            assertThat(gatehouse.status("changed")).hasValue("requests 0");
            assertThat(gatehouse.get("/").headers().allValues("X-Trail")).containsExactly("c", "a");
            assertThatThrownBy(() -> gatehouse.reload("filters: [ { type: mark } ]"))
                    .isInstanceOf(ConfigException.class).hasMessage("filters[0].config.label: required value is missing");
            assertThat(gatehouse.get("/").headers().allValues("X-Trail")).as("the running chain stays").containsExactly("c", "a");
        }
    }

    @Test
    void aFiltersStatusIsReadByItsInstanceName() {
        try (EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
                .config("""
                        server: { upstream: "http://127.0.0.1:9" }
                        filters:
                          - { type: mark, name: counting, config: { label: a } }
                          - { type: mark, config: { label: silent } }
                        """)
                .filters(new TestFilterFactories.Mark())
                .start()) {
            gatehouse.get("/");

            assertThat(gatehouse.status("counting")).hasValue("requests 1");
            assertThat(gatehouse.status("mark#1")).isEmpty();
            assertThatThrownBy(() -> gatehouse.status("nobody")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[counting, mark#1]");
        }
    }

    @Test
    void theAdminListenerIsThereWhenConfigured() throws Exception {
        try (EmbeddedGatehouse plain = EmbeddedGatehouse.builder().start();
             EmbeddedGatehouse admin = EmbeddedGatehouse.builder().config("admin: { listen: 127.0.0.1:0 }").start()) {
            assertThat(plain.adminAddress()).isEmpty();
            assertThatThrownBy(() -> plain.adminUri("/health")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("admin: { listen: 127.0.0.1:0 }");

            HttpResponse<String> health = admin.client().send(HttpRequest.newBuilder(admin.adminUri("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("ok\n");
            assertThat(admin.adminAddress()).hasValueSatisfying(a -> assertThat(a.getPort()).isPositive());
        }
    }

    @Test
    void aBadConfigurationNamesTheKey() {
        assertThatThrownBy(() -> EmbeddedGatehouse.builder().config("filters: [ { type: nope } ]").start())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("filters[0].type");
        assertThatThrownBy(() -> EmbeddedGatehouse.builder().upstream("ftp://x").start())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("upstream");
        assertThatThrownBy(() -> EmbeddedGatehouse.builder().port(70000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rawConnectionsReachTheProxy() {
        try (EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().upstream("http://127.0.0.1:9").start();
             RawConnection raw = gatehouse.raw()) {
            String response = raw.send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").readUntilClose();

            assertThat(response).startsWith("HTTP/1.1 400 ");
        }
    }

    @Test
    void stoppingWaitsForInFlightExchangesAndStopsListening() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TestOrigin origin = TestOrigin.start(Reply.ok("finished").holdUntil(release));
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().upstream(origin).start()) {
            int port = gatehouse.port();
            CompletableFuture<HttpResponse<String>> inFlight = gatehouse.client().sendAsync(
                    HttpRequest.newBuilder(gatehouse.uri("/")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            origin.awaitRequests(1, Duration.ofSeconds(10));

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> gatehouse.stop(Duration.ofSeconds(10)));
            org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(ConnectException.class));
            release.countDown();

            assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).isEqualTo("finished");
        }
    }
}
