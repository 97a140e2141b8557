package io.gatehouse.server.tunnel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginResponseHeadTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aCompleteHeadIsParsedAndItsLengthExcludesWhatFollows() {
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
        byte[] input = bytes(head + "\u0081\u0002hi");

        OriginResponseHead parsed = OriginResponseHead.parse(input, input.length).orElseThrow();

        assertThat(parsed.status()).isEqualTo(101);
        assertThat(parsed.reason()).isEqualTo("Switching Protocols");
        assertThat(parsed.length()).isEqualTo(head.length());
        assertThat(parsed.first("upgrade")).contains("websocket");
        assertThat(parsed.switchesToWebSocket()).isTrue();
    }

    @Test
    void anIncompleteHeadNeedsMoreBytes() {
        byte[] input = bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n");
        assertThat(OriginResponseHead.parse(input, input.length)).isEmpty();
    }

    @Test
    void otherAnswersDoNotSwitch() {
        byte[] refused = bytes("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        assertThat(OriginResponseHead.parse(refused, refused.length).orElseThrow().switchesToWebSocket()).isFalse();
        byte[] h2c = bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n");
        assertThat(OriginResponseHead.parse(h2c, h2c.length).orElseThrow().switchesToWebSocket()).isFalse();
    }

    @Test
    void malformedHeadsAreRefused() {
        byte[] notHttp = bytes("SSH-2.0 hello\r\n\r\n");
        assertThatThrownBy(() -> OriginResponseHead.parse(notHttp, notHttp.length)).isInstanceOf(IllegalArgumentException.class);
        byte[] folded = bytes("HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n continued\r\n\r\n");
        assertThatThrownBy(() -> OriginResponseHead.parse(folded, folded.length)).isInstanceOf(IllegalArgumentException.class);
    }
}
