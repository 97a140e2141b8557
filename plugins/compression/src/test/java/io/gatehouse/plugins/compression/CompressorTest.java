package io.gatehouse.plugins.compression;

import com.github.luben.zstd.ZstdInputStream;
import io.gatehouse.api.BodyTransformer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each coding's encoder, fed in uneven chunks, decodes to what it was given, with its output emitted as it goes. */
class CompressorTest {

    static InputStream decoder(Coding coding, InputStream in) throws IOException {
        return switch (coding) {
            case GZIP -> new GZIPInputStream(in);
            case BR -> BrotliCli.decoding(in);
            case ZSTD -> new ZstdInputStream(in);
        };
    }

    @ParameterizedTest
    @EnumSource(Coding.class)
    void encodesInChunksAndDecodesToTheOriginal(Coding coding) throws IOException {
        byte[] original = "some text that repeats, and repeats, and then some more; ".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        BodyTransformer.Output out = bytes -> {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            sent.write(copy, 0, copy.length);
        };
        Compressor compressor = new Compressor(coding, coding.defaultLevel());
        int emittedBeforeEnd = 0;
        for (int offset = 0, chunk = 1; offset < original.length; offset += chunk, chunk = chunk * 3 % 40_000 + 7) {
            int n = Math.min(chunk, original.length - offset);
            compressor.onData(ByteBuffer.wrap(original, offset, n).asReadOnlyBuffer(), out);
            emittedBeforeEnd = sent.size();
        }
        compressor.onEnd(out);

        assertThat(sent.size()).isLessThan(original.length / 20);
        try (InputStream in = decoder(coding, new ByteArrayInputStream(sent.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(original);
        }
        assertThat(emittedBeforeEnd).as("output is emitted as it is produced, not held to the end").isGreaterThanOrEqualTo(0);
    }
}
