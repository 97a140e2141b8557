package io.gatehouse.api.testkit;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.HttpFields;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BodyFeedTest {

    /** Records what it sees as text. */
    static final class Recorder implements BodyObserver {
        final List<String> events = new ArrayList<>();

        @Override
        public void onData(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            events.add("data:" + new String(bytes, StandardCharsets.UTF_8) + (data.isReadOnly() ? "" : "(writable!)"));
        }

        @Override
        public void onEnd(HttpFields trailers) {
            events.add("end:" + trailers);
        }

        @Override
        public void onAbort(Throwable cause) {
            events.add("abort:" + cause.getMessage());
        }
    }

    @Test
    void chunksAndTrailersReachEveryObserverInOrderEachWithItsOwnReadOnlyView() {
        TestExchange exchange = TestExchange.request("POST", "/upload");
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        exchange.observeRequestBody(first);
        exchange.observeRequestBody(second);

        exchange.requestBody().data("héllo ").data(ByteBuffer.wrap("wörld".getBytes(StandardCharsets.UTF_8)))
                .end(HttpFields.of("X-Sum", "42"));

        assertThat(first.events).containsExactly("data:héllo ", "data:wörld", "end:[X-Sum: 42]");
        assertThat(second.events).isEqualTo(first.events);
        assertThat(exchange.requestBody().ended()).isTrue();
    }

    @Test
    void anAbortReachesTheObserversOnceEvenWithoutData() {
        TestExchange exchange = TestExchange.get("/");
        Recorder recorder = new Recorder();
        exchange.observeResponseBody(recorder);

        exchange.responseBody().abort(new IOException("origin reset"));

        assertThat(recorder.events).containsExactly("abort:origin reset");
        assertThatThrownBy(() -> exchange.responseBody().end()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already ended");
        assertThatThrownBy(() -> exchange.responseBody().data("late")).isInstanceOf(IllegalStateException.class);
        assertThat(recorder.events).hasSize(1);
    }

    @Test
    void feedingEndsTheChainPhaseSoLateObserversAreRefusedAsOnTheServer() {
        TestExchange exchange = TestExchange.request("POST", "/");
        exchange.requestBody().data("arrived");

        assertThatThrownBy(() -> exchange.observeRequestBody(new Recorder())).isInstanceOf(IllegalStateException.class)
                .hasMessage("request body observers must be registered in onRequest");
        exchange.observeResponseBody(new Recorder());
        exchange.responseBody().end();
        assertThatThrownBy(() -> exchange.observeResponseBody(new Recorder())).isInstanceOf(IllegalStateException.class)
                .hasMessage("response body observers must be registered in onRequest or onResponse");
    }

    @Test
    void anObserverThatKeepsTheBufferSeesGarbageAfterwards() {
        TestExchange exchange = TestExchange.get("/");
        List<ByteBuffer> kept = new ArrayList<>();
        exchange.observeResponseBody(kept::add);

        exchange.responseBody().data("secret");

        ByteBuffer buffer = kept.get(0);
        byte[] later = new byte[buffer.remaining()];
        buffer.get(later);
        assertThat(new String(later, StandardCharsets.ISO_8859_1)).isNotEqualTo("secret");
    }

    @Test
    void aFailingObserverDoesNotStopTheOthersAndTheFailureReachesTheTest() {
        TestExchange exchange = TestExchange.get("/");
        exchange.observeResponseBody(data -> {
            throw new IllegalArgumentException("observer bug");
        });
        Recorder recorder = new Recorder();
        exchange.observeResponseBody(recorder);

        assertThatThrownBy(() -> exchange.responseBody().data("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("response body observer failed in onData").hasRootCauseMessage("observer bug");
        assertThat(recorder.events).containsExactly("data:x");
    }

    @Test
    void anEmptyChunkIsNotDelivered() {
        TestExchange exchange = TestExchange.get("/");
        Recorder recorder = new Recorder();
        exchange.observeResponseBody(recorder);

        exchange.responseBody().data(new byte[0]).end();

        assertThat(recorder.events).containsExactly("end:[]");
    }
}
