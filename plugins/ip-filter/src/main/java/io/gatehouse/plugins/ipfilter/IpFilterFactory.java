package io.gatehouse.plugins.ipfilter;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import org.pf4j.Extension;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code ip-filter} filter: answers {@code 403} to clients whose address ({@link
 * io.gatehouse.api.Exchange#clientIp()}, resolved through the trusted proxies) is denied.
 *
 * <pre>
 * - type: ip-filter
 *   config:
 *     allow: [ "10.0.0.0/8", "2001:db8::/32" ]
 *     deny: [ "10.6.6.6" ]
 *     deny-file: /etc/gatehouse/blocklist.txt
 * </pre>
 */
@Extension
public final class IpFilterFactory implements ProxyFilterFactory<IpFilterConfig> {

    private static final Set<String> KEYS = Set.of("allow", "deny", "allow-file", "deny-file", "watch-interval", "body");

    @Override
    public String type() {
        return "ip-filter";
    }

    @Override
    public IpFilterConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        AddressList allow = list(config, "allow", "allow-file");
        AddressList deny = list(config, "deny", "deny-file");
        if (!allow.configured() && !deny.configured()) {
            throw new ConfigException(config.path("allow"), "give at least one of allow, allow-file, deny, deny-file");
        }
        Duration interval = config.getPositiveDuration("watch-interval", Duration.ofSeconds(5));
        String body = config.getString("body", "Forbidden");
        Rules initial = new Rules(allow.configured(), allow.load(), deny.load());
        return new IpFilterConfig(allow, deny, initial, interval, body);
    }

    private static AddressList list(PluginConfig config, String inlineKey, String fileKey) {
        List<Cidr> inline = new ArrayList<>();
        List<String> entries = config.getStringList(inlineKey);
        for (int i = 0; i < entries.size(); i++) {
            try {
                inline.add(Cidr.parse(entries.get(i).strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(config.path(inlineKey) + "[" + i + "]", e.getMessage());
            }
        }
        Optional<Path> file = config.findString(fileKey).map(name -> {
            try {
                Path path = Path.of(name);
                if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                    throw new ConfigException(config.path(fileKey), "no readable file " + name);
                }
                return path;
            } catch (InvalidPathException e) {
                throw new ConfigException(config.path(fileKey), "not a file name: " + name);
            }
        });
        return new AddressList(inline, file);
    }

    @Override
    public ProxyFilter create(IpFilterConfig config, FilterContext context) {
        return new IpFilter(config, context);
    }
}
