package io.gatehouse.plugins.compression;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code compression} filter: responses compressed with Brotli, zstd or gzip as the client's
 * {@code Accept-Encoding} allows, and optionally compressed request bodies decoded.
 *
 * <pre>
 * - type: compression
 *   config: { algorithms: [br, zstd, gzip], min-size: 1KiB }
 * </pre>
 */
@Extension
public final class CompressionFilterFactory implements ProxyFilterFactory<CompressionConfig> {

    @Override
    public String type() {
        return "compression";
    }

    @Override
    public CompressionConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(Set.of("algorithms", "levels", "min-size", "types", "request-decompression"));
        List<Coding> algorithms = new ArrayList<>();
        List<String> names = config.has("algorithms") ? config.getStringList("algorithms") : List.of("br", "zstd", "gzip");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Coding coding = Coding.of(name).filter(c -> !name.equalsIgnoreCase("x-gzip"))
                    .orElseThrow(() -> new ConfigException(config.path("algorithms"), "'" + name + "' is not br, zstd or gzip"));
            if (algorithms.contains(coding)) {
                throw new ConfigException(config.path("algorithms"), "'" + name + "' is listed twice");
            }
            algorithms.add(coding);
        }
        if (algorithms.isEmpty()) {
            throw new ConfigException(config.path("algorithms"), "needs at least one of br, zstd, gzip");
        }
        Map<Coding, Integer> levels = new EnumMap<>(Coding.class);
        PluginConfig levelSection = config.getSection("levels");
        levelSection.requireKnownKeys(Set.of("br", "zstd", "gzip"));
        for (Coding coding : Coding.values()) {
            levels.put(coding, levelSection.getInt(coding.token(), coding.defaultLevel(), coding.minLevel(), coding.maxLevel()));
        }
        long minSize = config.getSize("min-size", 1024, 0, Long.MAX_VALUE);
        MediaTypes types;
        try {
            types = MediaTypes.of(config.has("types") ? config.getStringList("types") : MediaTypes.DEFAULTS);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.path("types"), e.getMessage());
        }
        Optional<CompressionConfig.RequestDecompression> requests = Optional.empty();
        if (config.has("request-decompression")) {
            PluginConfig section = config.getSection("request-decompression");
            section.requireKnownKeys(Set.of("max-size", "max-ratio"));
            requests = Optional.of(new CompressionConfig.RequestDecompression(
                    section.getSize("max-size", 1024 * 1024, 1, Integer.MAX_VALUE - 8), section.getInt("max-ratio", 100, 1, 10_000)));
        }
        if (algorithms.contains(Coding.BR)) {
            try {
                Brotli.ensureAvailable();
            } catch (IllegalStateException e) {
                throw new ConfigException(config.path("algorithms"), e.getMessage());
            }
        }
        return new CompressionConfig(algorithms, levels, minSize, types, requests);
    }

    @Override
    public ProxyFilter create(CompressionConfig config, FilterContext context) {
        return new CompressionFilter(config, context);
    }
}
