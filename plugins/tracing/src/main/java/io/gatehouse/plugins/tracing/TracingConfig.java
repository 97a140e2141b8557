package io.gatehouse.plugins.tracing;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated config of one {@code tracing} filter. Immutable.
 *
 * @param endpoint where spans are sent: the collector's OTLP/HTTP traces URL
 * @param serviceName the resource's {@code service.name}
 * @param resource further resource attributes
 * @param headers fields sent with every export request (a collector's API key)
 * @param compression {@code gzip} or {@code none}
 * @param timeout how long one export request may take
 * @param hooks whether each filter hook becomes a child span
 * @param queue the most spans waiting for export; more are dropped and counted
 * @param batchSize the most spans in one export request
 * @param delay the longest a span waits for its batch to fill
 */
record TracingConfig(URI endpoint, String serviceName, Map<String, String> resource, Map<String, String> headers,
                     String compression, Duration timeout, boolean hooks, int queue, int batchSize, Duration delay) {

    /** The default endpoint: an OpenTelemetry Collector on the same host. */
    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:4318/v1/traces";

    TracingConfig {
        resource = Map.copyOf(resource);
        headers = Map.copyOf(headers);
    }

    /**
     * @param config the filter's {@code config} section
     * @return the validated config
     * @throws ConfigException naming the full key of a bad value
     */
    static TracingConfig parse(PluginConfig config) {
        config.requireKnownKeys(Set.of("endpoint", "service-name", "resource", "headers", "compression", "timeout", "hooks",
                "batch"));
        URI endpoint = endpoint(config);
        String serviceName = config.getString("service-name", "gatehouse");
        if (serviceName.isBlank()) {
            throw new ConfigException(config.path("service-name"), "must not be empty");
        }
        Map<String, String> resource = new LinkedHashMap<>();
        List<String> pairs = config.getStringList("resource");
        for (int i = 0; i < pairs.size(); i++) {
            String pair = pairs.get(i);
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new ConfigException(config.path("resource") + "[" + i + "]", "expected key=value, got \"" + pair + "\"");
            }
            resource.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        Map<String, String> headers = config.getStringMap("headers");
        for (String name : headers.keySet()) {
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new ConfigException(config.path("headers") + "." + name, "not a header name");
            }
        }
        String compression = config.getString("compression", "none");
        if (!compression.equals("none") && !compression.equals("gzip")) {
            throw new ConfigException(config.path("compression"), "expected none or gzip, got \"" + compression + "\"");
        }
        PluginConfig batch = config.getSection("batch");
        batch.requireKnownKeys(Set.of("queue", "size", "delay"));
        int queue = batch.getInt("queue", 2048, 1, 1_000_000);
        int size = batch.getInt("size", 512, 1, 1_000_000);
        if (size > queue) {
            throw new ConfigException(batch.path("size"), "must not exceed batch.queue (" + queue + ")");
        }
        return new TracingConfig(endpoint, serviceName, resource, headers, compression,
                config.getPositiveDuration("timeout", Duration.ofSeconds(10)), config.getBoolean("hooks", true), queue, size,
                batch.getPositiveDuration("delay", Duration.ofSeconds(1)));
    }

    private static URI endpoint(PluginConfig config) {
        String text = config.getString("endpoint", DEFAULT_ENDPOINT);
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(config.path("endpoint"), "expected an http or https URL, got \"" + text + "\"");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(config.path("endpoint"), "expected an http or https URL, got \"" + text + "\"");
        }
    }
}
