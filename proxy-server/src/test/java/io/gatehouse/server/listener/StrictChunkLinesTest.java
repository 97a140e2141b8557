package io.gatehouse.server.listener;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.BasicHttpTransportMetrics;
import org.apache.hc.core5.http.impl.nio.ChunkDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HttpCore's chunk decoder reading through {@link StrictChunkLines}: RFC 9112 §7.1, strictly. */
class StrictChunkLinesTest {

    /**
     * @param body a chunked body, all of it available at once
     * @param ended whether the connection ends after it
     * @return {@code data|trailers} when decoded whole, {@code incomplete}, or the exception's simple name
     */
    private static String decode(String body, boolean ended) {
        ByteInput input = new ByteInput(body.getBytes(StandardCharsets.ISO_8859_1));
        ReadableByteChannel channel = new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) {
                return ended ? -1 : 0;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        ChunkDecoder decoder = new ChunkDecoder(channel, new StrictChunkLines(input, 8192), Http1Config.DEFAULT,
                new BasicHttpTransportMetrics());
        ByteBuffer data = ByteBuffer.allocate(4096);
        try {
            for (int i = 0; i < 100 && !decoder.isCompleted(); i++) {
                if (decoder.read(data) == 0 && !input.hasData() && !ended) {
                    break;
                }
            }
        } catch (TruncatedChunkException e) {
            return "truncated";
        } catch (MalformedChunkCodingException e) {
            return "malformed";
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        }
        if (!decoder.isCompleted()) {
            return "incomplete";
        }
        List<? extends Header> trailers = decoder.getTrailers();
        StringBuilder result = new StringBuilder(new String(data.array(), 0, data.position(), StandardCharsets.ISO_8859_1));
        if (trailers != null) {
            for (Header trailer : trailers) {
                result.append('|').append(trailer.getName()).append('=').append(trailer.getValue());
            }
        }
        return result.toString();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"5\r\nhello\r\n0\r\n\r\n", "5;a\r\nhello\r\n0\r\n\r\n", "5;a=b\r\nhello\r\n0\r\n\r\n",
            "5 ;a = b\r\nhello\r\n0\r\n\r\n", "5;a=\"x y\\\"z\"\r\nhello\r\n0\r\n\r\n", "5;a;b=c\r\nhello\r\n0;end\r\n\r\n",
            "005\r\nhello\r\n0\r\n\r\n", "2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n"})
    void validBodiesDecode(String body) {
        assertThat(decode(body, false)).isEqualTo("hello");
    }

    @Test
    void trailersArePassedOn() {
        assertThat(decode("5\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-Tab:\ta\tb\r\n\r\n", false))
                .isEqualTo("hello|X-Checksum=abc|X-Tab=a\tb");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"5\nhello\r\n0\r\n\r\n", "5\r\nhello\n0\r\n\r\n", "5\r\nhello\r\n0\n\r\n", "5\r\nhello\r\n0\r\n\n",
            "5\r\nhello\r\n0\r\nX: a\n\r\n", "5\r\r\nhello\r\n0\r\n\r\n", "5\r\nhello\r\n0\r\nX: a\rb\r\n\r\n",
            "+5\r\nhello\r\n0\r\n\r\n", " 5\r\nhello\r\n0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n", "-5\r\nhello\r\n0\r\n\r\n",
            "0x5\r\nhello\r\n0\r\n\r\n", "\r\nhello\r\n0\r\n\r\n", "fffffffffffffffff\r\nhello\r\n0\r\n\r\n", "5;\r\nhello\r\n0\r\n\r\n",
            "5;a=\r\nhello\r\n0\r\n\r\n", "5;a=\"x\r\nhello\r\n0\r\n\r\n", "5;a=b c\r\nhello\r\n0\r\n\r\n", "5;\u0000\r\nhello\r\n0\r\n\r\n",
            "5;a=b \r\nhello\r\n0\r\n\r\n", "5\tx\r\nhello\r\n0\r\n\r\n", "5\r\nhelloX\r\n0\r\n\r\n",
            "5\r\nhello\r\n0\r\nBad{Name}: x\r\n\r\n", "5\r\nhello\r\n0\r\nX: \u0001\r\n\r\n", "5\r\nhello\r\n0\r\nX: a\r\n b\r\n\r\n",
            "5\r\nhello\r\n0\r\n X: a\r\n\r\n", "5\r\nhello\r\n0\r\nNoColon\r\n\r\n", "5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n",
            "5\r\nhello\r\n0\r\ntransfer-encoding: chunked\r\n\r\n", "5\r\nhello\r\n0\r\nHost: evil\r\n\r\n",
            "5\r\nhello\r\n0\r\nX : a\r\n\r\n"})
    void malformedBodiesAreRefused(String body) {
        assertThat(decode(body, false)).isEqualTo("malformed");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"5\r\nhel", "5\r\nhello\r\n0\r\n", "5\r\nhello\r\n0\r\nX: a\r\n", "5\r\nhello\r\n0\r\nX: a", "5\r\nhello\r",
            "5"})
    void aBodyCutShortByTheEndOfInputIsNotComplete(String body) {
        assertThat(decode(body, true)).isEqualTo("truncated");
        assertThat(decode(body, false)).isEqualTo("incomplete");
    }

    @Test
    void aLineLongerThanTheLimitIsRefused() {
        assertThat(decode("5;a=" + "b".repeat(9000) + "\r\nhello\r\n0\r\n\r\n", false)).isEqualTo("malformed");
    }
}
