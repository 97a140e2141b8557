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

    @Test
    void aKnownLengthIsCollectedIntoOneArrayOfThatSizeHandedOverAsItIs() {
        List<Optional<byte[]>> results = new ArrayList<>();
        BodyObserver observer = BodyObserver.collecting(1 << 20, java.util.OptionalLong.of(20_000), results::add);
        byte[] chunk = new byte[5_000];
        for (int i = 0; i < 4; i++) {
            java.util.Arrays.fill(chunk, (byte) i);
            observer.onData(ByteBuffer.wrap(chunk).asReadOnlyBuffer());
        }
        observer.onEnd(HttpFields.empty());

        byte[] body = results.get(0).orElseThrow();
        assertThat(body).hasSize(20_000);
        assertThat(body[0]).isEqualTo((byte) 0);
        assertThat(body[19_999]).isEqualTo((byte) 3);
    }

    @Test
    void aBodyOtherThanItsKnownLengthIsStillCollectedWithinTheLimit() {
        List<Optional<byte[]>> shorter = new ArrayList<>();
        BodyObserver fewer = BodyObserver.collecting(100, java.util.OptionalLong.of(10), shorter::add);
        fewer.onData(bytes("abc"));
        fewer.onEnd(HttpFields.empty());
        assertThat(new String(shorter.get(0).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("abc");

        List<Optional<byte[]>> longer = new ArrayList<>();
        BodyObserver more = BodyObserver.collecting(100, java.util.OptionalLong.of(2), longer::add);
        more.onData(bytes("abcdef"));
        more.onData(bytes("gh"));
        more.onEnd(HttpFields.empty());
        assertThat(new String(longer.get(0).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("abcdefgh");

        List<Optional<byte[]>> overLimit = new ArrayList<>();
        BodyObserver tooLong = BodyObserver.collecting(4, java.util.OptionalLong.of(1_000), overLimit::add);
        tooLong.onData(bytes("abcde"));
        tooLong.onEnd(HttpFields.empty());
        assertThat(overLimit).containsExactly(Optional.empty());
    }
}
