/**
 * The filter chain: building it from config, one exchange's pass through it, the threads lent to filters.
 *
 * <p>Internal to the server: public types here are public only so the server's packages (and
 * its own tests) can use each other. Plugins see only {@code io.gatehouse.api}.
 */
@Internal
package io.gatehouse.server.chain;

import io.gatehouse.api.annotation.Internal;
