package io.gatehouse.api.outbound;

import io.gatehouse.api.HttpFields;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundRequestTest {

    @Test
    void aGetHasTheDefaults() {
        OutboundRequest request = OutboundRequest.get("http://10.0.0.9:8080/keys?v=2").build();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri()).isEqualTo(URI.create("http://10.0.0.9:8080/keys?v=2"));
        assertThat(request.bodyLength()).isZero();
        assertThat(request.timeout()).isEqualTo(OutboundRequest.DEFAULT_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
        assertThat(request.maxResponseBody()).isEqualTo(OutboundRequest.DEFAULT_MAX_RESPONSE_BODY).isEqualTo(1024 * 1024);
        assertThat(request.toString()).isEqualTo("GET http://10.0.0.9:8080/keys?v=2");
    }

    @Test
    void theBuilderSetsEverythingAndTheRequestIsImmutable() {
        byte[] body = {1, 2, 3};
        OutboundRequest.Builder builder = OutboundRequest.request("POST", "https://auth.example/introspect")
                .header("Content-Type", "application/octet-stream").header("X-A", "1").header("x-a", "2")
                .body(body).timeout(Duration.ofMillis(250)).maxResponseBody(0);
        OutboundRequest request = builder.build();
        body[0] = 9;
        builder.header("X-Later", "no");
        assertThat(request.body()).containsExactly(1, 2, 3);
        request.body()[0] = 9;
        assertThat(request.bodyBuffer().get(0)).isEqualTo((byte) 1);
        assertThat(request.headers().all("X-A")).containsExactly("1", "2");
        assertThat(request.headers().contains("X-Later")).isFalse();
        assertThat(request.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(request.maxResponseBody()).isZero();
        assertThat(OutboundRequest.request("PUT", "http://h/").body("é").build().bodyLength()).isEqualTo(2);
    }

    @Test
    void refusesWhatCannotBeSent() {
        assertThatThrownBy(() -> OutboundRequest.get("/relative")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboundRequest.get("ftp://h/x")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> OutboundRequest.get("http://u:p@h/")).hasMessageContaining("user info");
        assertThatThrownBy(() -> OutboundRequest.get("http://h/#f")).hasMessageContaining("fragment");
        assertThatThrownBy(() -> OutboundRequest.get("http://h/a?q=|")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboundRequest.request("GE T", "http://h/")).hasMessageContaining("token");
        assertThatThrownBy(() -> OutboundRequest.get("http://h/").header("Content-Length", "3")).hasMessageContaining("set by the client");
        assertThatThrownBy(() -> OutboundRequest.get("http://h/").header("host", "x")).hasMessageContaining("set by the client");
        assertThatThrownBy(() -> OutboundRequest.get("http://h/").header("X-A", "a\r\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboundRequest.get("http://h/").timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboundRequest.get("http://h/").maxResponseBody(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboundRequest.get("http://h/").maxResponseBody(OutboundRequest.MAX_RESPONSE_BODY_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aResponseIsAnImmutableCopy() {
        byte[] body = "hello".getBytes();
        OutboundResponse response = OutboundResponse.of(503, HttpFields.of("Retry-After", "5"), body);
        body[0] = 'j';
        assertThat(response.bodyText()).isEqualTo("hello");
        response.body()[0] = 'j';
        assertThat(response.bodyBuffer().remaining()).isEqualTo(5);
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers().first("retry-after")).hasValue("5");
        assertThat(OutboundResponse.of(200, "ok").bodyLength()).isEqualTo(2);
        assertThatThrownBy(() -> OutboundResponse.of(99, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboundResponse.of(1000, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFailuresAreOutboundExceptionsAndIoExceptions() {
        assertThat(new OutboundTimeoutException("t")).isInstanceOf(OutboundException.class).isInstanceOf(java.io.IOException.class);
        assertThat(new OutboundConnectException("c", new java.net.ConnectException())).hasCauseInstanceOf(java.net.ConnectException.class);
        assertThat(new ResponseTooLargeException("big", 10).limit()).isEqualTo(10);
    }
}
