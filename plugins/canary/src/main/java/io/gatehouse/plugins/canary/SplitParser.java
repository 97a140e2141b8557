package io.gatehouse.plugins.canary;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.Upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code splits}, naming the key of any error. Used at start-up and on every reload. */
final class SplitParser {

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    private SplitParser() {
    }

    static List<Split> splits(PluginConfig config) {
        List<Split> splits = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<PluginConfig> sections = config.getSectionList("splits");
        if (sections.isEmpty()) {
            throw new ConfigException(config.path("splits"), "at least one split is needed");
        }
        for (PluginConfig section : sections) {
            Split split = split(section);
            if (!names.add(split.name())) {
                throw new ConfigException(section.path("name"), "duplicate split name \"" + split.name() + "\"");
            }
            splits.add(split);
        }
        return splits;
    }

    private static Split split(PluginConfig config) {
        config.requireKnownKeys(Set.of("name", "from", "route", "to", "override", "sticky", "response-header", "mirror", "rollback"));
        String name = config.findString("name").filter(n -> !n.isBlank())
                .orElseThrow(() -> new ConfigException(config.path("name"), "is required"));
        Optional<String> from = config.findString("from");
        Optional<String> route = config.findString("route");
        if (from.isPresent() == route.isPresent()) {
            throw new ConfigException(config.path("from"), "a split takes the requests of one cluster (from) or one route (route)");
        }
        List<Split.Target> targets = new ArrayList<>();
        List<PluginConfig> to = config.getSectionList("to");
        int total = 0;
        for (PluginConfig target : to) {
            target.requireKnownKeys(Set.of("cluster", "weight"));
            String cluster = target.findString("cluster").orElseThrow(() -> new ConfigException(target.path("cluster"), "is required"));
            int weight = target.getInt("weight", 0);
            if (weight < 0 || weight > 10_000) {
                throw new ConfigException(target.path("weight"), "must be between 0 and 10000");
            }
            total += weight;
            targets.add(new Split.Target(cluster, weight));
        }
        if (targets.isEmpty()) {
            throw new ConfigException(config.path("to"), "needs at least one target: [ { cluster, weight } ]");
        }
        if (total == 0) {
            throw new ConfigException(config.path("to"), "the weights must not all be 0");
        }
        PluginConfig override = config.getSection("override");
        override.requireKnownKeys(Set.of("header", "cookie"));
        return new Split(name, from, route, targets, override.findString("header"), override.findString("cookie"),
                stickyCookie(config), stickyHash(config), config.findString("response-header"), mirror(config), rollback(config));
    }

    private static Optional<Split.StickyCookie> stickyCookie(PluginConfig config) {
        PluginConfig sticky = config.getSection("sticky");
        sticky.requireKnownKeys(Set.of("cookie", "max-age", "secure", "http-only", "same-site", "hash"));
        if (!sticky.has("cookie")) {
            return Optional.empty();
        }
        if (sticky.has("hash")) {
            throw new ConfigException(sticky.path("hash"), "use either a cookie or a hash");
        }
        String cookie = sticky.getString("cookie");
        if (!cookie.matches(TOKEN)) {
            throw new ConfigException(sticky.path("cookie"), "must be a cookie name (a token)");
        }
        Optional<String> sameSite = sticky.findString("same-site");
        if (sameSite.isPresent() && !Set.of("Strict", "Lax", "None").contains(sameSite.get())) {
            throw new ConfigException(sticky.path("same-site"), "must be Strict, Lax or None");
        }
        Optional<Duration> maxAge = sticky.has("max-age") ? Optional.of(positive(sticky, "max-age")) : Optional.empty();
        return Optional.of(new Split.StickyCookie(cookie, maxAge, sticky.getBoolean("secure", false),
                sticky.getBoolean("http-only", true), sameSite));
    }

    private static Optional<String> stickyHash(PluginConfig config) {
        PluginConfig sticky = config.getSection("sticky");
        Optional<String> hash = sticky.findString("hash");
        if (hash.isPresent() && !(hash.get().equals("client-ip")
                || (hash.get().matches("(header|cookie):" + TOKEN)))) {
            throw new ConfigException(sticky.path("hash"), "expected header:NAME, cookie:NAME or client-ip, got \"" + hash.get() + "\"");
        }
        return hash;
    }

    private static Optional<Split.Mirror> mirror(PluginConfig config) {
        if (!config.has("mirror")) {
            return Optional.empty();
        }
        PluginConfig mirror = config.getSection("mirror");
        mirror.requireKnownKeys(Set.of("endpoints", "upstream", "percent", "max-body", "timeout"));
        if (mirror.has("endpoints") == mirror.has("upstream")) {
            throw new ConfigException(mirror.path("endpoints"), "the mirror cluster needs endpoints (a list of URLs) or one upstream URL");
        }
        String key = mirror.has("endpoints") ? "endpoints" : "upstream";
        List<String> endpoints = new ArrayList<>();
        for (String url : mirror.getStringList(key)) {
            try {
                endpoints.add(Upstream.parse(url).toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(mirror.path(key), e.getMessage());
            }
        }
        if (endpoints.isEmpty()) {
            throw new ConfigException(mirror.path(key), "needs at least one URL");
        }
        double percent = percent(mirror, "percent", 100);
        long maxBody = mirror.getSize("max-body", 64 * 1024);
        if (maxBody < 0) {
            throw new ConfigException(mirror.path("max-body"), "must not be negative");
        }
        return Optional.of(new Split.Mirror(endpoints, percent, maxBody,
                mirror.has("timeout") ? positive(mirror, "timeout") : Duration.ofSeconds(10)));
    }

    private static Optional<Split.Rollback> rollback(PluginConfig config) {
        if (!config.has("rollback")) {
            return Optional.empty();
        }
        PluginConfig rollback = config.getSection("rollback");
        rollback.requireKnownKeys(Set.of("window", "min-requests", "max-error-percent"));
        Duration window = rollback.has("window") ? positive(rollback, "window") : Duration.ofSeconds(60);
        if (window.toSeconds() > 60) {
            throw new ConfigException(rollback.path("window"), "must be at most 60s");
        }
        int min = rollback.getInt("min-requests", 20);
        if (min < 1) {
            throw new ConfigException(rollback.path("min-requests"), "must be at least 1");
        }
        return Optional.of(new Split.Rollback(window, min, percent(rollback, "max-error-percent", 10)));
    }

    private static Duration positive(PluginConfig config, String key) {
        Duration d = config.getDuration(key, Duration.ZERO);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(config.path(key), "must be positive");
        }
        return d;
    }

    private static double percent(PluginConfig config, String key, double defaultValue) {
        double value;
        try {
            value = config.has(key) ? Double.parseDouble(config.getString(key).replace("%", "").trim()) : defaultValue;
        } catch (NumberFormatException e) {
            throw new ConfigException(config.path(key), "expected a percentage such as 10 or 2.5");
        }
        if (value < 0 || value > 100) {
            throw new ConfigException(config.path(key), "must be a percentage from 0 to 100");
        }
        return value;
    }
}
