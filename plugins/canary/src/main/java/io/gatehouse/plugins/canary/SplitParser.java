package io.gatehouse.plugins.canary;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.http.RequestKey;
import io.gatehouse.api.http.SetCookie;

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
            int weight = target.getInt("weight", 0, 0, 10_000);
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
        override.requireKnownKeys(Set.of("header", "cookie", "after-rollback"));
        Optional<SetCookie> stickyCookie = stickyCookie(config);
        if (stickyCookie.isPresent()) {
            for (int i = 0; i < targets.size(); i++) {
                try {
                    stickyCookie.get().withValue(targets.get(i).cluster());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(to.get(i).path("cluster"), "is the sticky cookie's value: " + e.getMessage());
                }
            }
        }
        return new Split(name, from, route, targets, override.findString("header"), override.findString("cookie"),
                override.getBoolean("after-rollback", false), stickyCookie, stickyHash(config), config.findString("response-header"), mirror(config), rollback(config));
    }

    private static Optional<SetCookie> stickyCookie(PluginConfig config) {
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
        SetCookie template = SetCookie.of(cookie, "").path("/").secure(sticky.getBoolean("secure", false))
                .httpOnly(sticky.getBoolean("http-only", true));
        Optional<SetCookie.SameSite> sameSite = sticky.findEnum("same-site", SetCookie.SameSite.class);
        template = sameSite.map(template::sameSite).orElse(template);
        return Optional.of(sticky.findPositiveDuration("max-age").map(template::maxAge).orElse(template));
    }

    private static Optional<RequestKey> stickyHash(PluginConfig config) {
        PluginConfig sticky = config.getSection("sticky");
        return sticky.has("hash") ? Optional.of(RequestKey.from(sticky, "hash")) : Optional.empty();
    }

    private static Optional<Split.Mirror> mirror(PluginConfig config) {
        if (!config.has("mirror")) {
            return Optional.empty();
        }
        PluginConfig mirror = config.getSection("mirror");
        mirror.requireKnownKeys(Set.of("endpoints", "upstream", "percent", "max-body", "timeout", "forward-credentials", "max-in-flight"));
        if (mirror.has("endpoints") == mirror.has("upstream")) {
            throw new ConfigException(mirror.path("endpoints"), "the mirror cluster needs endpoints (a list of URLs) or one upstream URL");
        }
        String key = mirror.has("endpoints") ? "endpoints" : "upstream";
        List<String> endpoints = new ArrayList<>();
        for (Upstream upstream : mirror.has("endpoints") ? mirror.getUpstreamList(key) : List.of(mirror.getUpstream(key))) {
            endpoints.add(upstream.httpScheme() + "://" + upstream.authority()); // copies go over HTTP/1.1
        }
        if (endpoints.isEmpty()) {
            throw new ConfigException(mirror.path(key), "needs at least one URL");
        }
        double percent = mirror.getPercent("percent", 100);
        long maxBody = mirror.getSize("max-body", 64 * 1024, 0, Long.MAX_VALUE);
        return Optional.of(new Split.Mirror(endpoints, percent, maxBody, mirror.getPositiveDuration("timeout", Duration.ofSeconds(10)),
                mirror.getBoolean("forward-credentials", false), mirror.getInt("max-in-flight", 32, 1, 10_000)));
    }

    private static Optional<Split.Rollback> rollback(PluginConfig config) {
        if (!config.has("rollback")) {
            return Optional.empty();
        }
        PluginConfig rollback = config.getSection("rollback");
        rollback.requireKnownKeys(Set.of("window", "min-requests", "max-error-percent"));
        Duration window = rollback.getPositiveDuration("window", Duration.ofSeconds(60));
        if (window.toSeconds() > 60) {
            throw new ConfigException(rollback.path("window"), "must be at most 60s");
        }
        int min = rollback.getInt("min-requests", 20, 1, Integer.MAX_VALUE);
        return Optional.of(new Split.Rollback(window, min, rollback.getPercent("max-error-percent", 10)));
    }
}
