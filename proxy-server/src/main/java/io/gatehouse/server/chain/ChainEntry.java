package io.gatehouse.server.chain;

import io.gatehouse.api.ProxyFilter;

/**
 * One filter instance in the chain.
 *
 * @param name instance name
 * @param type filter type
 * @param condition when it applies
 * @param filter the instance
 */
public record ChainEntry(String name, String type, Condition condition, ProxyFilter filter) {
}
