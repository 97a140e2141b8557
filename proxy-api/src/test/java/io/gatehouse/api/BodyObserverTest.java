package io.gatehouse.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BodyObserverTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    @Test
    void collectsAWholeBodyWithinTheLimitOnce() {
        List<Optional<byte[]>> results = new ArrayList<>();
        BodyObserver observer = BodyObserver.collecting(10, results::add);
        observer.onData(bytes("hello "));
        observer.onData(bytes("you"));
        observer.onEnd(HttpFields.empty());
        observer.onEnd(HttpFields.empty());
        assertThat(results).hasSize(1);
        assertThat(new String(results.get(0).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("hello you");
    }

    @Test
    void aLongerOrBrokenBodyGivesEmptyOnce() {
        List<Optional<byte[]>> longer = new ArrayList<>();
        BodyObserver tooLong = BodyObserver.collecting(4, longer::add);
        tooLong.onData(bytes("abc"));
        tooLong.onData(bytes("de"));
        tooLong.onData(bytes("f"));
        tooLong.onEnd(HttpFields.empty());
        assertThat(longer).containsExactly(Optional.empty());

        List<Optional<byte[]>> broken = new ArrayList<>();
        BodyObserver aborted = BodyObserver.collecting(100, broken::add);
        aborted.onData(bytes("abc"));
        aborted.onAbort(new IOException("reset"));
        aborted.onEnd(HttpFields.empty());
        assertThat(broken).containsExactly(Optional.empty());
    }
}
