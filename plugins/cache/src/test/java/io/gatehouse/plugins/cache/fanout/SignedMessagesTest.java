package io.gatehouse.plugins.cache.fanout;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SignedMessagesTest {

    private static final byte[] TOKEN = "0123456789abcdef-shared".getBytes(StandardCharsets.UTF_8);
    private final SignedMessages first = new SignedMessages(TOKEN, "first");
    private final SignedMessages second = new SignedMessages(TOKEN, "second");

    @Test
    void anotherInstanceWithTheTokenReadsTheMessageKeySpacesAndAll() {
        InvalidationMessage message = new InvalidationMessage(InvalidationMessage.Kind.KEY, "http example.com /a b?x=1 | y");

        String text = first.encode(message);

        assertThat(second.decode(text)).hasValue(message);
        assertThat(second.isOwn(text)).isFalse();
        assertThat(first.isOwn(text)).isTrue();
        assertThat(first.decode(text)).as("its own message comes back from Redis too").isEmpty();
    }

    @Test
    void aWrongTokenAChangedKeyOrKindAndGarbageAreRefused() {
        String text = first.encode(new InvalidationMessage(InvalidationMessage.Kind.PREFIX, "example.com/a"));
        SignedMessages stranger = new SignedMessages("another-token-0123456".getBytes(StandardCharsets.UTF_8), "third");

        assertThat(stranger.decode(text)).isEmpty();
        assertThat(second.decode(text.replace("example.com/a", "example.com/"))).isEmpty();
        assertThat(second.decode(text.replace(" PREFIX ", " KEY "))).isEmpty();
        assertThat(second.decode("v1 x KEY")).isEmpty();
        assertThat(second.decode("v2 " + text.substring(3))).isEmpty();
        assertThat(second.decode("v1 x NOPE sig key")).isEmpty();
        assertThat(second.decode(text)).isPresent();
    }
}
