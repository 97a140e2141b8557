/**
 * The outbound HTTP client lent to filters ({@code FilterContext.http()}): httpclient5's async
 * client with a bounded pool and its own I/O threads, per-call deadlines and a cap on response
 * bodies read into memory.
 *
 * <p>Internal to the server: public types here are public only so the server's packages (and
 * its own tests) can use each other. Plugins see only {@code io.gatehouse.api.outbound}.
 */
@Internal
package io.gatehouse.server.outbound;

import io.gatehouse.api.annotation.Internal;
