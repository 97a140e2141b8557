/**
 * Configuration: loading, validation, and the immutable settings it produces.
 *
 * <p>Internal to the server: public types here are public only so the server's packages (and
 * its own tests) can use each other. Plugins see only {@code io.gatehouse.api}.
 */
@Internal
package io.gatehouse.server.config;

import io.gatehouse.api.annotation.Internal;
