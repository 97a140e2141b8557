package io.gatehouse.plugins.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;

import java.util.List;

/**
 * A finished span made from the server's timings, with the ids the server chose: both the
 * {@link ReadableSpan} a span processor takes and the {@link SpanData} it exports. Immutable.
 */
final class TimedSpan implements ReadableSpan, SpanData {

    private final String name;
    private final SpanKind kind;
    private final SpanContext context;
    private final SpanContext parent;
    private final long start;
    private final long end;
    private final Attributes attributes;
    private final StatusData status;
    private final Resource resource;
    private final InstrumentationScopeInfo scope;

    TimedSpan(String name, SpanKind kind, SpanContext context, SpanContext parent, long startEpochNanos, long endEpochNanos,
              Attributes attributes, StatusData status, Resource resource, InstrumentationScopeInfo scope) {
        this.name = name;
        this.kind = kind;
        this.context = context;
        this.parent = parent;
        this.start = startEpochNanos;
        this.end = Math.max(startEpochNanos, endEpochNanos);
        this.attributes = attributes;
        this.status = status;
        this.resource = resource;
        this.scope = scope;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public SpanKind getKind() {
        return kind;
    }

    @Override
    public SpanContext getSpanContext() {
        return context;
    }

    @Override
    public SpanContext getParentSpanContext() {
        return parent;
    }

    @Override
    public StatusData getStatus() {
        return status;
    }

    @Override
    public long getStartEpochNanos() {
        return start;
    }

    @Override
    public Attributes getAttributes() {
        return attributes;
    }

    @Override
    public List<EventData> getEvents() {
        return List.of();
    }

    @Override
    public List<LinkData> getLinks() {
        return List.of();
    }

    @Override
    public long getEndEpochNanos() {
        return end;
    }

    @Override
    public boolean hasEnded() {
        return true;
    }

    @Override
    public int getTotalRecordedEvents() {
        return 0;
    }

    @Override
    public int getTotalRecordedLinks() {
        return 0;
    }

    @Override
    public int getTotalAttributeCount() {
        return attributes.size();
    }

    @Override
    @SuppressWarnings("deprecation") // still abstract in SpanData and ReadableSpan
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
        return InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion());
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return scope;
    }

    @Override
    public Resource getResource() {
        return resource;
    }

    @Override
    public SpanData toSpanData() {
        return this;
    }

    @Override
    public long getLatencyNanos() {
        return end - start;
    }

    @Override
    public <T> T getAttribute(AttributeKey<T> key) {
        return attributes.get(key);
    }

    @Override
    public String toString() {
        return kind + " " + name + " " + context.getSpanId() + " parent " + parent.getSpanId();
    }
}
