package io.gatehouse.plugins.canary;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.References;
import org.pf4j.Extension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code canary} filter: shares the requests of a cluster (or route) between release
 * targets by weight, with overrides, stickiness, shadow traffic and automatic rollback. Place it
 * after the router and before the load balancer.
 *
 * <pre>
 * - type: canary
 *   config:
 *     splits:
 *       - name: users-release
 *         from: users
 *         to: [ { cluster: users-stable, weight: 95 }, { cluster: users-canary, weight: 5 } ]
 *         override: { header: X-Canary }
 *         sticky: { cookie: users-side, max-age: 1h }
 * </pre>
 */
@Extension
public final class CanaryFilterFactory implements ProxyFilterFactory<CanaryConfig> {

    @Override
    public String type() {
        return "canary";
    }

    @Override
    public CanaryConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(Set.of("splits", "watch", "watch-interval"));
        Optional<Path> watch = config.findString("watch").map(Path::of);
        if (watch.isPresent()) {
            if (!Files.isReadable(watch.get())) {
                throw new ConfigException(config.path("watch"), "cannot read " + watch.get());
            }
            if (config.has("splits")) {
                throw new ConfigException(config.path("splits"), "with watch, the splits live in the watched file");
            }
            List<Split> splits = SplitFile.read(watch.get());
            return new CanaryConfig(splits, watch, interval(config));
        }
        return new CanaryConfig(SplitParser.splits(config), Optional.empty(), interval(config));
    }

    private static Duration interval(PluginConfig config) {
        return config.getPositiveDuration("watch-interval", Duration.ofSeconds(1));
    }

    @Override
    public ProxyFilter create(CanaryConfig config, FilterContext context) {
        return new CanaryFilter(config, context.scheduler(), new Mirror(context.http()),
                splits -> SplitReferences.checkReload(splits, config.watch().orElseThrow(), context), context.metrics());
    }

    @Override
    public References references(CanaryConfig config) {
        return SplitReferences.of(config.splits(), config.watch().map(file -> "watch"));
    }
}
