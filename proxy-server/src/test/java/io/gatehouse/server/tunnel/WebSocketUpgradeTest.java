package io.gatehouse.server.tunnel;

import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketUpgradeTest {

    private static BasicHttpRequest request(String method, String connection, String upgrade) {
        BasicHttpRequest request = new BasicHttpRequest(method, "/ws");
        request.setVersion(HttpVersion.HTTP_1_1);
        if (connection != null) {
            request.addHeader("Connection", connection);
        }
        if (upgrade != null) {
            request.addHeader("Upgrade", upgrade);
        }
        return request;
    }

    @Test
    void aGetWithUpgradeWebsocketAndTheConnectionOptionIsAnUpgrade() {
        assertThat(WebSocketUpgrade.requested(request("GET", "Upgrade", "websocket"), null)).isTrue();
        assertThat(WebSocketUpgrade.requested(request("GET", "keep-alive, upgrade", "WebSocket"), null)).isTrue();
        assertThat(WebSocketUpgrade.requested(request("GET", "Upgrade", "websocket"), new BasicEntityDetails(0, null)))
                .as("Content-Length: 0, as the JDK's client sends").isTrue();
    }

    @Test
    void anythingElseIsNot() {
        assertThat(WebSocketUpgrade.requested(request("GET", "Upgrade", "h2c"), null)).isFalse();
        assertThat(WebSocketUpgrade.requested(request("GET", "keep-alive", "websocket"), null)).isFalse();
        assertThat(WebSocketUpgrade.requested(request("GET", null, "websocket"), null)).isFalse();
        assertThat(WebSocketUpgrade.requested(request("GET", "Upgrade", null), null)).isFalse();
        assertThat(WebSocketUpgrade.requested(request("POST", "Upgrade", "websocket"), null)).isFalse();
        assertThat(WebSocketUpgrade.requested(request("GET", "Upgrade", "websocket"), new BasicEntityDetails(5, null))).isFalse();
        BasicHttpRequest old = request("GET", "Upgrade", "websocket");
        old.setVersion(HttpVersion.HTTP_1_0);
        assertThat(WebSocketUpgrade.requested(old, null)).isFalse();
        BasicHttpRequest twice = request("GET", "Upgrade", "websocket");
        twice.addHeader("Upgrade", "websocket");
        assertThat(WebSocketUpgrade.requested(twice, null)).isFalse();
    }
}
