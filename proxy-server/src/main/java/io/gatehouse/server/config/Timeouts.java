package io.gatehouse.server.config;

import java.time.Duration;

/**
 * {@code server.timeouts}.
 *
 * @param connect connecting to an origin; past it 504
 * @param response from the request sent to the origin's response head; past it 504
 * @param idle no bytes moving in either direction of a body or keep-alive connection
 * @param requestHead total time to receive a request head (slowloris guard); past it 408
 * @param filter deadline of one filter hook; past it 504
 * @param shutdownGrace how long in-flight exchanges may finish on shutdown
 */
public record Timeouts(Duration connect, Duration response, Duration idle, Duration requestHead,
                       Duration filter, Duration shutdownGrace) {
}
