package io.gatehouse.plugins.cache.fanout;

import java.util.Objects;

/**
 * The {@code fan-out} settings of a cache.
 *
 * @param redisUri where Redis is, as Lettuce reads it ({@code redis://}, {@code rediss://}, {@code redis-sentinel://})
 * @param channel the pub/sub channel the instances share
 * @param token the shared secret messages are signed with
 */
public record FanOutSettings(String redisUri, String channel, String token) {

    /** The channel when none is configured. */
    public static final String DEFAULT_CHANNEL = "gatehouse:cache:invalidate";

    /** Checks the fields and keeps a copy of the token. */
    public FanOutSettings {
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "FanOutSettings[" + redisUri + ", " + channel + "]"; // never the token
    }
}
