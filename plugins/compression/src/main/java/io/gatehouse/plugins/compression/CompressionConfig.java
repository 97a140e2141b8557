package io.gatehouse.plugins.compression;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code compression} filter's configuration.
 *
 * @param algorithms the codings offered, in the server's order of preference
 * @param levels the level of each coding
 * @param minSize responses with a known length below this are sent as they are
 * @param types the media types worth compressing
 * @param requests the request-decompression limits, empty when request bodies are left as they come
 */
record CompressionConfig(List<Coding> algorithms, Map<Coding, Integer> levels, long minSize, MediaTypes types,
                         Optional<RequestDecompression> requests) {

    /**
     * @param maxSize the largest compressed request body decoded (a larger one is refused with 413)
     * @param maxRatio how many times its compressed size a decoded body may be (past it: 413, a zip bomb)
     */
    record RequestDecompression(long maxSize, int maxRatio) {
    }

    CompressionConfig {
        algorithms = List.copyOf(algorithms);
        levels = Map.copyOf(levels);
    }
}
