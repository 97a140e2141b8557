package io.gatehouse.plugins.accesslog;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import org.pf4j.Extension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The {@code access-log} filter: one line per exchange when it ends (also for short-circuits,
 * errors and clients that left), in the {@code combined}, {@code json} or a user-defined format,
 * written by its own thread to a rotating file or to standard output. Place it first in
 * {@code filters:} so that it sees every exchange that reaches the chain.
 *
 * <pre>
 * - type: access-log
 *   config:
 *     format: json
 *     file: { path: access.log, max-size: 100MiB, daily: true, max-files: 14 }
 *     redact: { query-params: [token], headers: [Authorization] }
 * </pre>
 */
@Extension
public final class AccessLogFilterFactory implements ProxyFilterFactory<AccessLogConfig> {

    /** The system property through which {@code bin/gatehouse} names its log directory. */
    static final String LOG_DIR_PROPERTY = "gatehouse.log.dir";

    private final BiFunction<AccessLogConfig, FilterContext, LineSink> sinks;

    /** The factory PF4J creates: files and standard output. */
    public AccessLogFilterFactory() {
        this((config, context) -> config.file().<LineSink>map(f -> new RotatingFileSink(f, context.clock(), config.zone()))
                .orElseGet(() -> new StdoutSink(System.out)));
    }

    /** @param sinks makes the sink of a filter (tests give a slow one) */
    AccessLogFilterFactory(BiFunction<AccessLogConfig, FilterContext, LineSink> sinks) {
        this.sinks = sinks;
    }

    @Override
    public String type() {
        return "access-log";
    }

    @Override
    public AccessLogConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(Set.of("format", "pattern", "output", "file", "buffer", "redact", "time-zone"));
        Redaction redaction = redaction(config.getSection("redact"));
        LineFormat format = format(config, redaction);
        String output = config.getString("output", "file");
        Optional<FileOutput> file;
        if (output.equals("file")) {
            file = Optional.of(file(config.getSection("file")));
        } else if (output.equals("stdout")) {
            if (config.has("file")) {
                throw new ConfigException(config.path("file"), "only with output: file");
            }
            file = Optional.empty();
        } else {
            throw new ConfigException(config.path("output"), "expected file or stdout, got \"" + output + "\"");
        }
        PluginConfig buffer = config.getSection("buffer");
        buffer.requireKnownKeys(Set.of("lines", "size"));
        int lines = buffer.getInt("lines", 10_000, 1, 1_000_000);
        long size = buffer.getSize("size", 8L * 1024 * 1024, 1024, 1024L * 1024 * 1024);
        return new AccessLogConfig(format, redaction, file, lines, size, zone(config));
    }

    private static LineFormat format(PluginConfig config, Redaction redaction) {
        String format = config.getString("format", "combined");
        if (!format.equals("pattern") && config.has("pattern")) {
            throw new ConfigException(config.path("pattern"), "only with format: pattern");
        }
        switch (format) {
            case "combined":
                return new CombinedFormat(zone(config));
            case "json":
                return new JsonFormat();
            case "pattern":
                try {
                    return PatternFormat.compile(config.getString("pattern"), redaction);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(config.path("pattern"), e.getMessage());
                }
            default:
                throw new ConfigException(config.path("format"), "expected combined, json or pattern, got \"" + format + "\"");
        }
    }

    private static FileOutput file(PluginConfig file) {
        file.requireKnownKeys(Set.of("path", "max-size", "daily", "max-files"));
        Path path = Path.of(file.getString("path", "access.log"));
        if (!path.isAbsolute()) {
            String logDir = System.getProperty(LOG_DIR_PROPERTY);
            path = logDir == null ? path.toAbsolutePath() : Path.of(logDir).resolve(path).toAbsolutePath();
        }
        if (Files.isDirectory(path)) {
            throw new ConfigException(file.path("path"), path + " is a directory");
        }
        Path existing = path.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isWritable(existing) || Files.exists(path) && !Files.isWritable(path)) {
            throw new ConfigException(file.path("path"), "cannot write " + path);
        }
        long maxSize = file.getSize("max-size", 100L * 1024 * 1024, 0, Long.MAX_VALUE);
        return new FileOutput(path, maxSize, file.getBoolean("daily", true), file.getInt("max-files", 14, 1, 10_000));
    }

    private static Redaction redaction(PluginConfig redact) {
        redact.requireKnownKeys(Set.of("query-params", "headers"));
        List<String> headers = redact.getStringList("headers");
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.get(i).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new ConfigException(redact.path("headers") + "[" + i + "]", "not a header name: " + headers.get(i));
            }
        }
        return new Redaction(new HashSet<>(redact.getStringList("query-params")), new HashSet<>(headers));
    }

    private static ZoneId zone(PluginConfig config) {
        Optional<String> zone = config.findString("time-zone");
        if (zone.isEmpty()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(zone.get());
        } catch (DateTimeException e) {
            throw new ConfigException(config.path("time-zone"), "not a time zone (such as UTC or Europe/Paris): " + zone.get());
        }
    }

    @Override
    public ProxyFilter create(AccessLogConfig config, FilterContext context) {
        AsyncLineWriter writer = new AsyncLineWriter(context.instanceName(), sinks.apply(config, context), config.bufferLines(),
                config.bufferBytes(), System::nanoTime);
        return new AccessLogFilter(config.format(), config.redaction(), context.clock(), writer);
    }
}
