package io.gatehouse.plugins.tracing;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import org.pf4j.Extension;

import java.util.Map;

/**
 * The {@code tracing} filter: exports every sampled exchange as OpenTelemetry spans over OTLP
 * (http/protobuf) to a collector: a {@code SERVER} span for the exchange, with an {@code
 * INTERNAL} child per filter hook and a {@code CLIENT} child per upstream attempt. The trace
 * context itself (continuing or starting traces, sampling, {@code traceparent} to the origin) is
 * the core's ({@code server.forwarding.trace-context}); this filter only exports. Its position
 * in {@code filters:} does not matter, but like the access log it sees only exchanges that reach
 * it: place it first and without {@code when:}.
 *
 * <pre>
 * - type: tracing
 *   config:
 *     endpoint: http://otel-collector:4318/v1/traces
 *     service-name: edge-gateway
 *     resource: ["deployment.environment.name=production"]
 * </pre>
 */
@Extension
public final class TracingFilterFactory implements ProxyFilterFactory<TracingConfig> {

    private static final String SCOPE = "io.gatehouse.tracing";

    @Override
    public String type() {
        return "tracing";
    }

    @Override
    public TracingConfig parseConfig(PluginConfig config) {
        return TracingConfig.parse(config);
    }

    @Override
    public ProxyFilter create(TracingConfig config, FilterContext context) {
        OpenTelemetryLogs.install();
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(config.endpoint().toString())
                .setTimeout(config.timeout())
                .setCompression(config.compression())
                // The sender (the JDK's HttpClient) is found with ServiceLoader: look in this plugin's class
                // loader, which holds it, not in the thread's context class loader (the server's).
                .setComponentLoader(ComponentLoader.forClassLoader(TracingFilterFactory.class.getClassLoader()));
        config.headers().forEach(exporter::addHeader);
        SpanExport export = new SpanExport(exporter.build(), config.queue(), config.batchSize(), config.delay(),
                config.timeout(), context.metrics());
        return new TracingFilter(context.instanceName(), new ExchangeSpans(resource(config), scope(), config.hooks()), export);
    }

    private static Resource resource(TracingConfig config) {
        AttributesBuilder attributes = Attributes.builder();
        for (Map.Entry<String, String> attribute : config.resource().entrySet()) {
            attributes.put(AttributeKey.stringKey(attribute.getKey()), attribute.getValue());
        }
        attributes.put(AttributeKey.stringKey("service.name"), config.serviceName());
        return Resource.getDefault().merge(Resource.create(attributes.build()));
    }

    private static InstrumentationScopeInfo scope() {
        String version = TracingFilterFactory.class.getPackage().getImplementationVersion();
        return version == null ? InstrumentationScopeInfo.create(SCOPE)
                : InstrumentationScopeInfo.builder(SCOPE).setVersion(version).build();
    }
}
