package io.gatehouse.server.outbound;

import io.gatehouse.api.outbound.OutboundConnectException;
import io.gatehouse.api.outbound.OutboundException;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundTimeoutException;
import io.gatehouse.api.outbound.ResponseTooLargeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundFailuresTest {

    private static final OutboundRequest REQUEST = OutboundRequest.get("http://10.0.0.9:8080/x").build();

    @Test
    void timeoutsOfEveryStageAreTimeouts() {
        assertThat(OutboundFailures.of(REQUEST, new SocketTimeoutException("30 SECONDS"))).isInstanceOf(OutboundTimeoutException.class)
                .hasMessageStartingWith("GET http://10.0.0.9:8080/x: timed out");
        assertThat(OutboundFailures.of(REQUEST, new ConnectTimeoutException("connect"))).isInstanceOf(OutboundTimeoutException.class);
        assertThat(OutboundFailures.of(REQUEST, new CompletionException(new TimeoutException("lease")))).isInstanceOf(OutboundTimeoutException.class);
    }

    @Test
    void refusedAndUnresolvableAreConnectFailures() {
        assertThat(OutboundFailures.of(REQUEST, new HttpHostConnectException("Connection refused"))).isInstanceOf(OutboundConnectException.class);
        assertThat(OutboundFailures.of(REQUEST, new ConnectException("refused"))).isInstanceOf(OutboundConnectException.class);
        assertThat(OutboundFailures.of(REQUEST, new UnknownHostException("nowhere"))).isInstanceOf(OutboundConnectException.class);
    }

    @Test
    void theApisOwnFailuresPassUnchangedAndTheRestIsAnOutboundException() {
        ResponseTooLargeException large = new ResponseTooLargeException("big", 1);
        assertThat(OutboundFailures.of(REQUEST, new CompletionException(large))).isSameAs(large);
        OutboundException other = OutboundFailures.of(REQUEST, new IOException("Connection reset"));
        assertThat(other.getClass()).isEqualTo(OutboundException.class);
        assertThat(other).hasMessageContaining("Connection reset").hasCauseInstanceOf(IOException.class);
    }
}
