/**
 * W3C Trace Context in the core: the incoming {@code traceparent} and {@code tracestate} parsed
 * and bounded, new traces started and sampled, and the timings of a sampled exchange recorded for
 * exporters ({@code Outcome.timings()}). No tracing library: exporters are plugins.
 *
 * <p>Internal to the server: public types here are public only so the server's packages (and
 * its own tests) can use each other. Plugins see only {@code io.gatehouse.api}.
 */
@Internal
package io.gatehouse.server.tracing;

import io.gatehouse.api.annotation.Internal;
