package io.gatehouse.plugins.compression;

import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.ZstdOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/** A content coding this plugin produces (RFC 9110 §8.4.1), with its level range and default. */
enum Coding {

    /** Brotli (RFC 7932): the best ratio for text; levels 0 to 11. */
    BR("br", 0, 11, 4) {
        @Override
        OutputStream encoder(OutputStream sink, int level) throws IOException {
            Brotli.ensureAvailable();
            return new BrotliOutputStream(sink, new Encoder.Parameters().setQuality(level).setMode(Encoder.Mode.TEXT), 16 * 1024);
        }
    },
    /** Zstandard (RFC 8878): fast, a good ratio; levels 1 to 19. */
    ZSTD("zstd", 1, 19, 3) {
        @Override
        OutputStream encoder(OutputStream sink, int level) throws IOException {
            ZstdOutputStream zstd = new ZstdOutputStream(sink, level);
            zstd.setCloseFrameOnFlush(false);
            return zstd;
        }
    },
    /** gzip (RFC 1952), the JDK's: understood by every client; levels 1 to 9. */
    GZIP("gzip", 1, 9, 6) {
        @Override
        OutputStream encoder(OutputStream sink, int level) throws IOException {
            return new GZIPOutputStream(sink, 8 * 1024) {
                {
                    def.setLevel(level);
                }
            };
        }
    };

    private final String token;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    Coding(String token, int minLevel, int maxLevel, int defaultLevel) {
        this.token = token;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    /** @return the name in {@code Accept-Encoding} and {@code Content-Encoding} */
    String token() {
        return token;
    }

    int minLevel() {
        return minLevel;
    }

    int maxLevel() {
        return maxLevel;
    }

    int defaultLevel() {
        return defaultLevel;
    }

    /**
     * @param sink where the encoded bytes go
     * @param level the compression level, within this coding's range
     * @return a stream that encodes what is written to it into {@code sink}; closing it ends the encoding
     */
    abstract OutputStream encoder(OutputStream sink, int level) throws IOException;

    /** @return the coding with this token ({@code x-gzip} is gzip, RFC 9110 §8.4.1.3), case-insensitively */
    static Optional<Coding> of(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        for (Coding coding : values()) {
            if (coding.token.equals(lower)) {
                return Optional.of(coding);
            }
        }
        return lower.equals("x-gzip") ? Optional.of(GZIP) : Optional.empty();
    }
}
