/**
 * One exchange: the client leg, the flow and its lock, the body relays, the origin leg, the client's response, the proxy's own answers.
 *
 * <p>Internal to the server: public types here are public only so the server's packages (and
 * its own tests) can use each other. Plugins see only {@code io.gatehouse.api}.
 */
@Internal
package io.gatehouse.server.exchange;

import io.gatehouse.api.annotation.Internal;
