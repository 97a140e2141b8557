package io.gatehouse.plugins.transform;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The transform filter in a real Gatehouse in front of a real origin. */
class TransformIntegrationTest {

    @Test
    void requestAndResponseAreEditedOnTheWire() {
        try (TestOrigin origin = TestOrigin.start(request -> Reply.status(200)
                .header("Content-Type", "application/json").header("ETag", "\"e\"").body("{\"secret\":\"s\",\"seen\":\"" + request.target() + "\"}"));
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config(String.join("\n",
                     "filters:",
                     "  - type: transform",
                     "    config:",
                     "      request:",
                     "        headers: { set: { X-Client: \"${client_ip}\" } }",
                     "        path: { regex: \"/v1/(.*)\", replacement: \"/api/$1\" }",
                     "        json: { remove: [password], max-size: 1KiB }",
                     "      response:",
                     "        json: { remove: [secret], set: { via: gatehouse } }",
                     "")).filters(new TransformFilterFactory()).upstream(origin).start()) {

            HttpResponse<String> response = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/v1/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ann\",\"password\":\"pw\"}")).build());

            ReceivedRequest received = origin.lastRequest();
            assertThat(received.target()).isEqualTo("/api/login");
            assertThat(received.header("X-Client")).hasValue("127.0.0.1");
            assertThat(received.bodyText()).isEqualTo("{\"user\":\"ann\"}");
            assertThat(response.body()).isEqualTo("{\"seen\":\"/api/login\",\"via\":\"gatehouse\"}");
            assertThat(response.headers().firstValue("ETag")).hasValue("W/\"e\"");

            HttpResponse<String> tooBig = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/v1/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"a\":\"" + "x".repeat(2000) + "\"}")).build());
            assertThat(tooBig.statusCode()).isEqualTo(413);
            HttpResponse<String> notJson = gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/v1/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("not json")).build());
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(origin.requestCount()).isEqualTo(1);
        }
    }
}
