package io.gatehouse.plugins.auth;

import io.gatehouse.api.PluginConfig;

import java.time.Duration;

/**
 * How a mechanism remembers verified credentials: {@code cache-ttl} (default 30 s, {@code 0s}
 * turns it off), {@code cache-size} (default 10,000), and {@code max-pending}, how many slow hash
 * checks may run or wait at once (default 32).
 *
 * @param ttl how long a match is remembered
 * @param size how many matches at most
 * @param maxPending how many slow checks at once
 */
record CacheSettings(Duration ttl, int size, int maxPending) {

    static CacheSettings parse(PluginConfig config) {
        Duration ttl = config.getDuration("cache-ttl", Duration.ofSeconds(30));
        if (ttl.isNegative() || ttl.compareTo(Duration.ofHours(1)) > 0) {
            throw new io.gatehouse.api.ConfigException(config.path("cache-ttl"), "must be between 0s and 1h");
        }
        return new CacheSettings(ttl, config.getInt("cache-size", 10_000, 1, 10_000_000),
                config.getInt("max-pending", 32, 1, 1024));
    }
}
