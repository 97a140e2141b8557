package io.gatehouse.server.tunnel;

import org.apache.hc.core5.http.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkedBodyTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesChunksWithExtensionsAndTrailersFedOneByteAtATime() throws ProtocolException {
        String encoded = "4;a=b\r\nWiki\r\n9 \r\npedia in \r\n0\r\nX-Sum: 1\r\n\r\nNEXT";
        ChunkedBody body = new ChunkedBody(1024);
        ByteBuffer all = bytes(encoded);
        boolean done = false;
        while (!done && all.hasRemaining()) {
            ByteBuffer one = ByteBuffer.wrap(new byte[]{all.get()});
            done = body.feed(one);
        }
        assertThat(done).isTrue();
        assertThat(new String(body.bytes(), StandardCharsets.US_ASCII)).isEqualTo("Wikipedia in ");
        assertThat(all.remaining()).as("bytes after the body are left").isEqualTo(4);
    }

    @Test
    void anUnfinishedBodyIsNotComplete() throws ProtocolException {
        ChunkedBody body = new ChunkedBody(1024);
        assertThat(body.feed(bytes("5\r\nhello\r\n0\r\n"))).isFalse();
        assertThat(body.feed(bytes("\r\n"))).isTrue();
        assertThat(body.bytes()).hasSize(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\r\n", "5\nhello\r\n", "5\r\nhelloX\r\n", "-1\r\n", "\r\n", "123456789\r\n",
        "0\r\nno colon\r\n\r\n", "5\r\nhello\r\n0\r\n\rX"})
    void malformedCodingsAreRefused(String encoded) {
        assertThatThrownBy(() -> new ChunkedBody(1024).feed(bytes(encoded))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void aBodyOverTheLimitIsRefusedAtItsSizeLine() {
        ChunkedBody body = new ChunkedBody(10);
        assertThatThrownBy(() -> body.feed(bytes("8\r\n12345678\r\n8\r\n"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("larger than 10 bytes");
    }
}
