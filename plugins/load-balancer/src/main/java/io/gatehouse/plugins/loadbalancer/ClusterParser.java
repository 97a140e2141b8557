package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.http.SetCookie;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code clusters.<name>}, naming the key of any error. */
final class ClusterParser {

    private static final Set<String> KEYS = Set.of("endpoints", "policy", "hash-key", "sticky", "health-check",
            "outlier-detection", "panic-threshold", "circuit-breaker", "retries");

    /** The shortest {@code sticky.secret}, as for the cache's purge token. */
    static final int MIN_SECRET = 16;

    private ClusterParser() {
    }

    static ClusterSpec parse(String name, PluginConfig config) {
        config.requireKnownKeys(KEYS);
        List<ClusterSpec.EndpointSpec> endpoints = endpoints(config);
        ClusterSpec.Policy policy = config.getEnum("policy", ClusterSpec.Policy.class, ClusterSpec.Policy.ROUND_ROBIN);
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
        double panic = config.getPercent("panic-threshold", 50);
        PluginConfig breaker = config.getSection("circuit-breaker");
        breaker.requireKnownKeys(Set.of("max-requests", "max-pending", "max-connections-per-endpoint"));
        return new ClusterSpec(name, endpoints, policy, hashKey, sticky(config), healthCheck(config), outlier(config), panic,
                breaker.getInt("max-requests", 0, 0, Integer.MAX_VALUE), breaker.getInt("max-pending", 0, 0, Integer.MAX_VALUE),
                breaker.getInt("max-connections-per-endpoint", 0, 0, Integer.MAX_VALUE), retries(config));
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
        Duration backoff = retries.getPositiveDuration("backoff", d.backoff());
        Duration maxBackoff = retries.getPositiveDuration("max-backoff", d.maxBackoff());
        if (maxBackoff.compareTo(backoff) < 0) {
            throw new ConfigException(retries.path("max-backoff"), "must not be shorter than backoff");
        }
        long replay = retries.getSize("replay-body", d.replayBody(), 0, 16L * 1024 * 1024);
        return new RetryPolicy(retries.getInt("attempts", d.attempts(), 0, Integer.MAX_VALUE), on,
                retries.getPercent("budget-percent", d.budgetPercent()), retries.getInt("min-retries", d.minRetries(), 0, Integer.MAX_VALUE),
                backoff, maxBackoff, (int) replay);
    }

    private static List<ClusterSpec.EndpointSpec> endpoints(PluginConfig config) {
        if (!config.has("endpoints")) {
            throw new ConfigException(config.path("endpoints"), "is required: a list of URLs, or of { url, weight }");
        }
        List<ClusterSpec.EndpointSpec> endpoints = new ArrayList<>();
        boolean urls;
        try {
            config.getStringList("endpoints");
            urls = true;
        } catch (ConfigException notScalars) {
            urls = false;
        }
        if (urls) {
            for (Upstream upstream : config.getUpstreamList("endpoints")) {
                endpoints.add(new ClusterSpec.EndpointSpec(upstream, 1));
            }
        } else {
            for (PluginConfig entry : config.getSectionList("endpoints")) {
                entry.requireKnownKeys(Set.of("url", "weight"));
                endpoints.add(new ClusterSpec.EndpointSpec(entry.getUpstream("url"), entry.getInt("weight", 1, 1, 1000)));
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

    private static Optional<ClusterSpec.Sticky> sticky(PluginConfig config) {
        if (!config.has("sticky")) {
            return Optional.empty();
        }
        PluginConfig sticky = config.getSection("sticky");
        sticky.requireKnownKeys(Set.of("cookie", "max-age", "secure", "http-only", "secret"));
        String cookie = sticky.getString("cookie", "gatehouse-lb");
        if (!cookie.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new ConfigException(sticky.path("cookie"), "must be a cookie name (a token)");
        }
        SetCookie template = SetCookie.of(cookie, "").path("/").secure(sticky.getBoolean("secure", false))
                .httpOnly(sticky.getBoolean("http-only", true));
        Optional<Duration> maxAge = sticky.findPositiveDuration("max-age");
        Optional<String> secret = sticky.findString("secret");
        if (secret.isPresent() && secret.get().length() < MIN_SECRET) {
            throw new ConfigException(sticky.path("secret"), "must be at least " + MIN_SECRET
                    + " characters: a long random string, the same on every instance behind one balancer");
        }
        return Optional.of(new ClusterSpec.Sticky(maxAge.map(template::maxAge).orElse(template), secret));
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
                check.getPositiveDuration("interval", Duration.ofSeconds(5)), check.getPositiveDuration("timeout", Duration.ofSeconds(1)),
                check.getInt("healthy-threshold", 2, 1, Integer.MAX_VALUE), check.getInt("unhealthy-threshold", 3, 1, Integer.MAX_VALUE),
                expected));
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
        outlier.requireKnownKeys(Set.of("consecutive-errors", "base-ejection", "max-ejection", "max-ejected-percent", "count-5xx"));
        ClusterSpec.Outlier d = ClusterSpec.Outlier.DEFAULT;
        Duration base = outlier.getPositiveDuration("base-ejection", d.baseEjection());
        Duration max = outlier.getPositiveDuration("max-ejection", d.maxEjection());
        if (max.compareTo(base) < 0) {
            throw new ConfigException(outlier.path("max-ejection"), "must not be shorter than base-ejection");
        }
        return new ClusterSpec.Outlier(outlier.getInt("consecutive-errors", d.consecutiveErrors(), 0, Integer.MAX_VALUE), base, max,
                outlier.getPercent("max-ejected-percent", d.maxEjectedPercent()), outlier.getBoolean("count-5xx", d.count5xx()));
    }
}
