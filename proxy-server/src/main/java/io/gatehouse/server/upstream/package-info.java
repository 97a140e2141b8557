/**
 * The way to the origin: one exchange's attempts and retries, the per-I/O-thread connection pools.
 *
 * <p>Internal to the server: public types here are public only so the server's packages (and
 * its own tests) can use each other. Plugins see only {@code io.gatehouse.api}.
 */
@Internal
package io.gatehouse.server.upstream;

import io.gatehouse.api.annotation.Internal;
