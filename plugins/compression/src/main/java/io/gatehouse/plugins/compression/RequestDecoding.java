package io.gatehouse.plugins.compression;

import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStream;
import io.gatehouse.api.BodyRejectedException;
import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.Exchange;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Decodes a request body sent with {@code Content-Encoding: gzip, br or zstd} before it goes to
 * the origin, which then gets it without the field. The compressed body is held whole (up to
 * {@code max-size}, else 413) and decoded up to {@code max-size} or {@code max-ratio} times its
 * size, whichever is more (else 413: a zip bomb); a body that does not decode gets 400, an unknown
 * coding passes untouched.
 */
final class RequestDecoding {

    private RequestDecoding() {
    }

    static void install(Exchange exchange, CompressionConfig.RequestDecompression limits) {
        List<String> encodings = exchange.request().headers().all("Content-Encoding");
        if (encodings.size() != 1) {
            return; // none, or several codings stacked: passed as they are
        }
        String token = encodings.get(0).trim().toLowerCase(Locale.ROOT);
        if (Coding.of(token).isEmpty()) {
            return;
        }
        Coding coding = Coding.of(token).get();
        exchange.request().headers().remove("Content-Encoding");
        exchange.transformRequestBody(new BodyTransformer() {
            private final ByteArrayOutputStream compressed = new ByteArrayOutputStream();

            @Override
            public void onData(java.nio.ByteBuffer data, Output out) {
                if (compressed.size() + (long) data.remaining() > limits.maxSize()) {
                    throw new BodyRejectedException(413, "compressed request body over " + limits.maxSize() + " bytes");
                }
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                compressed.write(bytes, 0, bytes.length);
            }

            @Override
            public void onEnd(Output out) {
                // at most max-size decoded whatever the ratio, beyond that max-ratio times the compressed size
                long maxDecoded = Math.max(limits.maxSize(), (long) compressed.size() * limits.maxRatio());
                byte[] decoded = decode(coding, compressed.toByteArray(), maxDecoded);
                out.write(java.nio.ByteBuffer.wrap(decoded));
            }
        });
    }

    private static byte[] decode(Coding coding, byte[] body, long maxDecoded) {
        try (InputStream in = decoder(coding, new ByteArrayInputStream(body))) {
            ByteArrayOutputStream decoded = new ByteArrayOutputStream(Math.max(64, body.length * 4));
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (decoded.size() + (long) n > maxDecoded) {
                    throw new BodyRejectedException(413, "request body expands past the allowed ratio");
                }
                decoded.write(buffer, 0, n);
            }
            return decoded.toByteArray();
        } catch (IOException | RuntimeException e) {
            if (e instanceof BodyRejectedException rejected) {
                throw rejected;
            }
            throw new BodyRejectedException(400, "request body is not valid " + coding.token());
        }
    }

    private static InputStream decoder(Coding coding, InputStream in) throws IOException {
        return switch (coding) {
            case GZIP -> new GZIPInputStream(in);
            case BR -> {
                Brotli.ensureAvailable();
                yield new BrotliInputStream(in);
            }
            case ZSTD -> new ZstdInputStream(in);
        };
    }
}
