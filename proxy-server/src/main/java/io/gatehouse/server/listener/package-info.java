/**
 * The listener: the HttpCore reactor, client connections, strict HTTP/1.1 parsing, head deadlines (first in request order).
 *
 * <p>Internal to the server: public types here are public only so the server's packages (and
 * its own tests) can use each other. Plugins see only {@code io.gatehouse.api}.
 */
@Internal
package io.gatehouse.server.listener;

import io.gatehouse.api.annotation.Internal;
