package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.Upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code clusters.<name>}, naming the key of any error. */
final class ClusterParser {

    private static final Set<String> KEYS = Set.of("endpoints", "policy", "hash-key", "sticky", "health-check",
            "outlier-detection", "panic-threshold", "circuit-breaker", "retries");

    private ClusterParser() {
    }

    static ClusterSpec parse(String name, PluginConfig config) {
        config.requireKnownKeys(KEYS);
        List<ClusterSpec.EndpointSpec> endpoints = endpoints(config);
        ClusterSpec.Policy policy = policy(config);
        Optional<HashKey> hashKey = Optional.empty();
        if (config.has("hash-key")) {
            if (policy != ClusterSpec.Policy.CONSISTENT_HASH) {
                throw new ConfigException(config.path("hash-key"), "only for policy consistent-hash");
            }
            try {
                hashKey = Optional.of(HashKey.parse(config.getString("hash-key")));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(config.path("hash-key"), e.getMessage());
            }
        } else if (policy == ClusterSpec.Policy.CONSISTENT_HASH) {
            throw new ConfigException(config.path("hash-key"), "is required for policy consistent-hash");
        }
        int panic = percent(config, "panic-threshold", 50);
        PluginConfig breaker = config.getSection("circuit-breaker");
        breaker.requireKnownKeys(Set.of("max-requests", "max-pending", "max-connections-per-endpoint"));
        return new ClusterSpec(name, endpoints, policy, hashKey, sticky(config), healthCheck(config), outlier(config), panic,
                nonNegative(breaker, "max-requests", 0), nonNegative(breaker, "max-pending", 0),
                nonNegative(breaker, "max-connections-per-endpoint", 0), retries(config));
    }

    private static RetryPolicy retries(PluginConfig config) {
        if (!config.has("retries")) {
            return RetryPolicy.DEFAULT;
        }
        PluginConfig retries = config.getSection("retries");
        retries.requireKnownKeys(Set.of("attempts", "retry-on", "budget-percent", "min-retries", "backoff", "max-backoff", "replay-body"));
        RetryPolicy d = RetryPolicy.DEFAULT;
        Set<String> on = new java.util.LinkedHashSet<>();
        for (String condition : retries.has("retry-on") ? retries.getStringList("retry-on") : List.copyOf(d.on())) {
            boolean status = condition.matches("[1-5][0-9][0-9]");
            if (!status && !Set.of("connect-failure", "reset", "timeout").contains(condition)) {
                throw new ConfigException(retries.path("retry-on"), "expected connect-failure, reset, timeout or a status such as 503, got \"" + condition + "\"");
            }
            on.add(condition);
        }
        Duration backoff = retries.has("backoff") ? positive(retries, "backoff") : d.backoff();
        Duration maxBackoff = retries.has("max-backoff") ? positive(retries, "max-backoff") : d.maxBackoff();
        if (maxBackoff.compareTo(backoff) < 0) {
            throw new ConfigException(retries.path("max-backoff"), "must not be shorter than backoff");
        }
        long replay = retries.getSize("replay-body", d.replayBody());
        if (replay < 0 || replay > 16L * 1024 * 1024) {
            throw new ConfigException(retries.path("replay-body"), "must be between 0B and 16MiB");
        }
        return new RetryPolicy(nonNegative(retries, "attempts", d.attempts()), on, percent(retries, "budget-percent", d.budgetPercent()),
                nonNegative(retries, "min-retries", d.minRetries()), backoff, maxBackoff, (int) replay);
    }

    private static List<ClusterSpec.EndpointSpec> endpoints(PluginConfig config) {
        if (!config.has("endpoints")) {
            throw new ConfigException(config.path("endpoints"), "is required: a list of URLs, or of { url, weight }");
        }
        List<ClusterSpec.EndpointSpec> endpoints = new ArrayList<>();
        List<String> urls;
        try {
            urls = config.getStringList("endpoints");
        } catch (ConfigException notScalars) {
            urls = null;
        }
        if (urls != null) {
            for (int i = 0; i < urls.size(); i++) {
                endpoints.add(new ClusterSpec.EndpointSpec(upstream(urls.get(i), config.path("endpoints") + "[" + i + "]"), 1));
            }
        } else {
            for (PluginConfig entry : config.getSectionList("endpoints")) {
                entry.requireKnownKeys(Set.of("url", "weight"));
                String url = entry.findString("url").orElseThrow(() -> new ConfigException(entry.path("url"), "is required"));
                int weight = entry.getInt("weight", 1);
                if (weight < 1 || weight > 1000) {
                    throw new ConfigException(entry.path("weight"), "must be between 1 and 1000");
                }
                endpoints.add(new ClusterSpec.EndpointSpec(upstream(url, entry.path("url")), weight));
            }
        }
        if (endpoints.isEmpty()) {
            throw new ConfigException(config.path("endpoints"), "needs at least one endpoint");
        }
        for (int i = 0; i < endpoints.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (endpoints.get(i).upstream().equals(endpoints.get(j).upstream())) {
                    throw new ConfigException(config.path("endpoints") + "[" + i + "]", "duplicate endpoint " + endpoints.get(i).upstream());
                }
            }
        }
        return endpoints;
    }

    private static Upstream upstream(String url, String key) {
        try {
            return Upstream.parse(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    private static ClusterSpec.Policy policy(PluginConfig config) {
        String value = config.getString("policy", "round-robin");
        for (ClusterSpec.Policy policy : ClusterSpec.Policy.values()) {
            if (policy.configName.equals(value)) {
                return policy;
            }
        }
        throw new ConfigException(config.path("policy"), "unknown policy \"" + value
                + "\" (known: round-robin, random, least-request, peak-ewma, consistent-hash)");
    }

    private static Optional<ClusterSpec.Sticky> sticky(PluginConfig config) {
        if (!config.has("sticky")) {
            return Optional.empty();
        }
        PluginConfig sticky = config.getSection("sticky");
        sticky.requireKnownKeys(Set.of("cookie", "max-age", "secure", "http-only"));
        String cookie = sticky.getString("cookie", "gatehouse-lb");
        if (!cookie.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new ConfigException(sticky.path("cookie"), "must be a cookie name (a token)");
        }
        Optional<Duration> maxAge = sticky.has("max-age") ? Optional.of(positive(sticky, "max-age")) : Optional.empty();
        return Optional.of(new ClusterSpec.Sticky(cookie, maxAge, sticky.getBoolean("secure", false),
                sticky.getBoolean("http-only", true)));
    }

    private static Optional<ClusterSpec.HealthCheck> healthCheck(PluginConfig config) {
        if (!config.has("health-check")) {
            return Optional.empty();
        }
        PluginConfig check = config.getSection("health-check");
        check.requireKnownKeys(Set.of("path", "interval", "timeout", "healthy-threshold", "unhealthy-threshold", "expected-statuses"));
        String path = check.getString("path", "/");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new ConfigException(check.path("path"), "must be a path starting with /");
        }
        List<int[]> expected = new ArrayList<>();
        for (String range : check.has("expected-statuses") ? check.getStringList("expected-statuses") : List.of("200-299")) {
            expected.add(statusRange(range, check.path("expected-statuses")));
        }
        return Optional.of(new ClusterSpec.HealthCheck(path,
                check.has("interval") ? positive(check, "interval") : Duration.ofSeconds(5),
                check.has("timeout") ? positive(check, "timeout") : Duration.ofSeconds(1),
                atLeastOne(check, "healthy-threshold", 2), atLeastOne(check, "unhealthy-threshold", 3), expected));
    }

    private static int[] statusRange(String range, String key) {
        try {
            String[] parts = range.trim().split("-", 2);
            int from = Integer.parseInt(parts[0].trim());
            int to = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : from;
            if (from < 100 || to > 599 || from > to) {
                throw new NumberFormatException();
            }
            return new int[]{from, to};
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "expected statuses such as 200 or 200-299, got \"" + range + "\"");
        }
    }

    private static ClusterSpec.Outlier outlier(PluginConfig config) {
        PluginConfig outlier = config.getSection("outlier-detection");
        outlier.requireKnownKeys(Set.of("consecutive-errors", "base-ejection", "max-ejection", "max-ejected-percent"));
        Duration base = outlier.has("base-ejection") ? positive(outlier, "base-ejection") : Duration.ofSeconds(30);
        Duration max = outlier.has("max-ejection") ? positive(outlier, "max-ejection") : Duration.ofMinutes(5);
        if (max.compareTo(base) < 0) {
            throw new ConfigException(outlier.path("max-ejection"), "must not be shorter than base-ejection");
        }
        return new ClusterSpec.Outlier(nonNegative(outlier, "consecutive-errors", 5), base, max,
                percent(outlier, "max-ejected-percent", 50));
    }

    private static Duration positive(PluginConfig config, String key) {
        Duration d = config.getDuration(key, Duration.ZERO);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(config.path(key), "must be positive");
        }
        return d;
    }

    private static int nonNegative(PluginConfig config, String key, int defaultValue) {
        int value = config.getInt(key, defaultValue);
        if (value < 0) {
            throw new ConfigException(config.path(key), "must not be negative");
        }
        return value;
    }

    private static int atLeastOne(PluginConfig config, String key, int defaultValue) {
        int value = config.getInt(key, defaultValue);
        if (value < 1) {
            throw new ConfigException(config.path(key), "must be at least 1");
        }
        return value;
    }

    private static int percent(PluginConfig config, String key, int defaultValue) {
        int value = config.getInt(key, defaultValue);
        if (value < 0 || value > 100) {
            throw new ConfigException(config.path(key), "must be a percentage from 0 to 100");
        }
        return value;
    }
}
