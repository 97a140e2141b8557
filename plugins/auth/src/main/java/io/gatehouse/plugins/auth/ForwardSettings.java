package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.outbound.OutboundRequest;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The validated {@code forward} section of an auth filter.
 *
 * @param url the auth service's URL
 * @param method the method of the call
 * @param requestHeaders the client's fields sent to the auth service (its credential)
 * @param responseHeaders the auth service's fields copied onto the proxy→origin request when it allows
 * @param consumerHeader the auth service's field naming the consumer
 * @param groupsHeader the auth service's field listing groups, comma-separated
 * @param timeout the longest a call may take
 * @param failOpen whether a failed call lets the request through (default: 503)
 * @param maxResponseBody the largest answer read
 * @param cacheTtl how long decisions are remembered, zero: not at all
 * @param cacheSize how many decisions at most
 */
record ForwardSettings(String url, String method, List<String> requestHeaders, List<String> responseHeaders,
                       Optional<String> consumerHeader, Optional<String> groupsHeader, Duration timeout, boolean failOpen,
                       long maxResponseBody, Duration cacheTtl, int cacheSize) {

    /** On failure: refuse with 503 (fail closed) or let the request through without identity (fail open). */
    enum OnFailure { DENY, ALLOW }

    private static final Set<String> KEYS = Set.of("url", "method", "request-headers", "response-headers", "consumer-header",
            "groups-header", "timeout", "on-failure", "max-response-body", "cache-ttl", "cache-size");
    private static final Set<String> NOT_SENT = Set.of("host", "content-length", "transfer-encoding", "connection", "keep-alive",
            "proxy-connection", "te", "trailer", "upgrade", "expect");

    static ForwardSettings parse(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        String url = config.getString("url");
        String method = config.getString("method", "GET");
        try {
            OutboundRequest.request(method, url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.path(config.has("method") && !method.matches("[A-Za-z]+") ? "method" : "url"), e.getMessage());
        }
        List<String> requestHeaders = config.has("request-headers") ? ConfigChecks.fieldNames(config, "request-headers")
                : List.of("Authorization", "Cookie");
        for (int i = 0; i < requestHeaders.size(); i++) {
            if (NOT_SENT.contains(requestHeaders.get(i).toLowerCase(Locale.ROOT))) {
                throw new ConfigException(config.path("request-headers") + "[" + i + "]", requestHeaders.get(i)
                        + " is a connection field and cannot be sent to the auth service");
            }
        }
        List<String> responseHeaders = ConfigChecks.fieldNames(config, "response-headers");
        for (int i = 0; i < responseHeaders.size(); i++) {
            if (NOT_SENT.contains(responseHeaders.get(i).toLowerCase(Locale.ROOT))) {
                throw new ConfigException(config.path("response-headers") + "[" + i + "]", responseHeaders.get(i)
                        + " is a connection field and cannot be copied");
            }
        }
        Duration ttl = config.getDuration("cache-ttl", Duration.ZERO);
        if (ttl.isNegative() || ttl.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigException(config.path("cache-ttl"), "must be between 0s and 10m");
        }
        return new ForwardSettings(url, method, requestHeaders, responseHeaders,
                config.findString("consumer-header").map(h -> ConfigChecks.fieldName(h, config.path("consumer-header"))),
                config.findString("groups-header").map(h -> ConfigChecks.fieldName(h, config.path("groups-header"))),
                config.getPositiveDuration("timeout", Duration.ofSeconds(5)),
                config.getEnum("on-failure", OnFailure.class, OnFailure.DENY) == OnFailure.ALLOW,
                config.getSize("max-response-body", 64 * 1024, 0, 16 * 1024 * 1024), ttl,
                config.getInt("cache-size", 10_000, 1, 10_000_000));
    }
}
