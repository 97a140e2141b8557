package io.gatehouse.api;

import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transformers run in memory by the test kit, as the server runs them. */
class BodyTransformerTest {

    /** Doubles every byte. */
    private static final class Twice implements BodyTransformer {
        final List<String> events = new ArrayList<>();

        @Override
        public void onData(ByteBuffer data, Output out) {
            ByteBuffer doubled = ByteBuffer.allocate(data.remaining() * 2);
            while (data.hasRemaining()) {
                byte b = data.get();
                doubled.put(b).put(b);
            }
            out.write(doubled.flip());
        }

        @Override
        public void onEnd(Output out) {
            events.add("end");
            out.write(ByteBuffer.wrap(new byte[] {'.'}));
        }

        @Override
        public void onAbort(Throwable cause) {
            events.add("abort");
        }
    }

    @Test
    void transformersRunInInstallationOrderEachFeedingTheNextAndObserversSeeTheResult() {
        TestExchange exchange = TestExchange.get("/");
        Twice first = new Twice();
        exchange.transformResponseBody(first);
        exchange.transformResponseBody(BodyTransformer.wholeBody(100, bytes -> new String(bytes, StandardCharsets.US_ASCII).toUpperCase().getBytes(StandardCharsets.US_ASCII)));
        List<Optional<byte[]>> seen = new ArrayList<>();
        exchange.observeResponseBody(BodyObserver.collecting(100, seen::add));

        exchange.responseBody().data("ab").data("c").end();

        assertThat(exchange.responseBody().sentText()).isEqualTo("AABBCC.");
        assertThat(new String(seen.get(0).orElseThrow(), StandardCharsets.US_ASCII)).isEqualTo("AABBCC.");
        assertThat(first.events).containsExactly("end");
    }

    @Test
    void anAbortReachesEveryTransformerOnceAndNoEndFollows() {
        TestExchange exchange = TestExchange.get("/");
        Twice transformer = new Twice();
        exchange.transformRequestBody(transformer);

        exchange.requestBody().data("x").abort(new java.io.IOException("client gone"));

        assertThat(transformer.events).containsExactly("abort");
        assertThat(exchange.requestBody().sentText()).isEqualTo("xx");
    }

    @Test
    void aWholeBodyOverItsLimitFailsNamingTheLimit() {
        TestExchange exchange = TestExchange.get("/");
        exchange.transformResponseBody(BodyTransformer.wholeBody(4, bytes -> bytes));

        assertThatThrownBy(() -> exchange.responseBody().data("12345"))
                .hasMessageContaining("over the 4 bytes a whole-body transformer may hold");
    }

    @Test
    void withoutTransformersTheSentBodyIsTheFedOneAndLateInstallationsAreRefused() {
        TestExchange exchange = TestExchange.get("/");
        exchange.responseBody().data("as it came").end();

        assertThat(exchange.responseBody().sentText()).isEqualTo("as it came");
        assertThatThrownBy(() -> exchange.transformResponseBody(new Twice())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> exchange.transformRequestBody(null)).isInstanceOf(NullPointerException.class);
    }
}
