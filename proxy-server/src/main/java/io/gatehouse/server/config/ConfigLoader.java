package io.gatehouse.server.config;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.Upstream;
import io.gatehouse.api.http.PathNormalizer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code gatehouse.yaml} with Commons Configuration 2 and validates it into a {@link
 * GatehouseConfig}. Every problem is a {@link ConfigException} whose message names the key.
 */
public final class ConfigLoader {

    private static final Set<String> ROOT_KEYS = Set.of("server", "admin", "plugins", "filters", "demo", "reload");
    private static final Set<String> SERVER_KEYS = Set.of("listen", "upstream", "timeouts", "limits", "forwarding",
            "io-threads", "upstream-pool", "upstream-tls", "websocket");
    private static final Set<String> TIMEOUT_KEYS = Set.of("connect", "response", "idle", "request-head", "filter",
            "shutdown-grace", "drain-delay", "tunnel-idle");
    private static final Set<String> LIMIT_KEYS = Set.of("request-line", "headers", "body", "connections", "tunnels");
    private static final Set<String> FORWARDING_KEYS = Set.of("trusted-proxies", "preserve-host", "via",
            "underscores-in-headers", "strip-request-headers", "via-loop-limit", "request-id", "trace-context");
    private static final Set<String> TRACE_CONTEXT_KEYS = Set.of("enabled", "continue", "sampling");
    private static final Set<String> REQUEST_ID_KEYS = Set.of("enabled", "header");
    private static final Set<String> POOL_KEYS = Set.of("max-per-route", "idle-timeout");
    private static final Set<String> FILTER_KEYS = Set.of("type", "name", "when", "config");
    private static final Set<String> WHEN_KEYS = Set.of("route", "host", "path-prefix", "method", "header");

    private final Path baseDirectory;

    /**
     * @param baseDirectory relative paths in the config (e.g. {@code plugins.directory}) resolve against it
     */
    public ConfigLoader(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    /**
     * Reads and validates a file.
     *
     * @param file the YAML file
     * @return the config
     * @throws ConfigException when unreadable or invalid
     */
    public GatehouseConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read the config file: " + describe(e));
        }
        return parse(text, file.toString());
    }

    /**
     * Reads and validates YAML text.
     *
     * @param yaml the text
     * @param source name of the source, for messages
     * @return the config
     */
    public GatehouseConfig parse(String yaml, String source) {
        Map<String, Object> tree = YamlTree.read(yaml, source);
        return bind(PluginConfig.of("", tree), tree);
    }

    /**
     * Reads and validates a file, keeping its tree as read (for the admin's {@code /config}).
     *
     * @param file the YAML file
     * @return the config and its tree
     * @throws ConfigException when unreadable or invalid
     */
    public ConfigDocument loadDocument(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read the config file: " + describe(e));
        }
        return parseDocument(text, file.toString());
    }

    /**
     * Reads and validates YAML text, keeping its tree as read.
     *
     * @param yaml the text
     * @param source name of the source, for messages
     * @return the config and its tree
     */
    public ConfigDocument parseDocument(String yaml, String source) {
        Map<String, Object> tree = YamlTree.read(yaml, source);
        return new ConfigDocument(bind(PluginConfig.of("", tree), tree), tree);
    }

    private GatehouseConfig bind(PluginConfig root, Map<String, Object> tree) {
        checkKeys(root, ROOT_KEYS);
        PluginConfig server = root.getSection("server");
        checkKeys(server, SERVER_KEYS);

        Object serverTree = tree.get("server");
        List<ListenerSpec> listen = new ListenerConfigs(baseDirectory).parse(server.path("listen"),
                serverTree instanceof Map<?, ?> map ? map.get("listen") : null);
        Optional<Upstream> upstream = server.findString("upstream").map(url -> {
            try {
                return Upstream.parse(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(server.path("upstream"), e.getMessage());
            }
        });

        PluginConfig t = server.getSection("timeouts");
        checkKeys(t, TIMEOUT_KEYS);
        Timeouts timeouts = new Timeouts(
                positive(t, "connect", Duration.ofSeconds(2)),
                positive(t, "response", Duration.ofSeconds(30)),
                positive(t, "idle", Duration.ofSeconds(60)),
                positive(t, "request-head", Duration.ofSeconds(10)),
                positive(t, "filter", Duration.ofSeconds(10)),
                t.getDuration("shutdown-grace", Duration.ofSeconds(10)));

        PluginConfig l = server.getSection("limits");
        checkKeys(l, LIMIT_KEYS);
        Limits limits = new Limits(
                positiveSize(l, "request-line", 8 * 1024),
                positiveSize(l, "headers", 32 * 1024),
                positiveSize(l, "body", 64L * 1024 * 1024),
                l.getInt("connections", Limits.defaultConnections(Runtime.getRuntime().maxMemory()), 1, 1_000_000));
        if (limits.requestLine() > 1024 * 1024 || limits.headers() > 1024 * 1024) {
            throw new ConfigException(l.path(limits.requestLine() > 1024 * 1024 ? "request-line" : "headers"),
                    "must be at most 1MiB");
        }

        PluginConfig f = server.getSection("forwarding");
        checkKeys(f, FORWARDING_KEYS);
        List<Cidr> trusted = new ArrayList<>();
        List<String> trustedValues = f.getStringList("trusted-proxies");
        for (int i = 0; i < trustedValues.size(); i++) {
            try {
                trusted.add(Cidr.parse(trustedValues.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(f.path("trusted-proxies") + "[" + i + "]", e.getMessage());
            }
        }
        String via = f.getString("via", "gatehouse");
        if (!via.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException(f.path("via"), "expected a token (letters, digits, . _ -), got \"" + via + "\"");
        }
        List<String> stripped = f.has("strip-request-headers") ? f.getStringList("strip-request-headers")
                : Forwarding.DEFAULT_STRIP_REQUEST_HEADERS;
        for (int i = 0; i < stripped.size(); i++) {
            if (!stripped.get(i).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new ConfigException(f.path("strip-request-headers") + "[" + i + "]", "not a header name: " + stripped.get(i));
            }
        }
        Forwarding forwarding = new Forwarding(trusted, f.getBoolean("preserve-host", true), via,
                f.getBoolean("underscores-in-headers", false), stripped,
                f.getInt("via-loop-limit", Forwarding.DEFAULT_VIA_LOOP_LIMIT, 1, 100), requestIds(f.getSection("request-id")),
                traceSettings(f.getSection("trace-context")));

        int ioThreads = server.getInt("io-threads", Runtime.getRuntime().availableProcessors());
        if (ioThreads < 1 || ioThreads > 256) {
            throw new ConfigException(server.path("io-threads"), "must be between 1 and 256");
        }
        PluginConfig p = server.getSection("upstream-pool");
        checkKeys(p, POOL_KEYS);
        int maxPerRoute = p.getInt("max-per-route", 1024);
        if (maxPerRoute < 1) {
            throw new ConfigException(p.path("max-per-route"), "must be at least 1");
        }

        PluginConfig admin = root.getSection("admin");
        checkKeys(admin, Set.of("listen", "allowed-hosts", "token"));
        List<String> adminAllowedHosts = admin.getStringList("allowed-hosts");
        Optional<InetSocketAddress> adminListen = admin.findString("listen").map(a -> address(admin.path("listen"), a));

        Optional<String> adminToken = admin.findString("token").map(String::trim);
        if (adminToken.isPresent() && adminToken.get().length() < 16) {
            throw new ConfigException(admin.path("token"), "must be at least 16 characters");
        }
        if (adminListen.isPresent() && !adminListen.get().getAddress().isLoopbackAddress() && adminToken.isEmpty()) {
            throw new ConfigException(admin.path("token"), "required when admin.listen is not a loopback address ("
                    + adminListen.get().getHostString() + "): the admin listener can reload, drain and show the config");
        }
        Duration drainDelay = t.getDuration("drain-delay", Duration.ZERO);
        if (drainDelay.isNegative()) {
            throw new ConfigException(t.path("drain-delay"), "must not be negative");
        }
        PluginConfig reload = root.getSection("reload");
        checkKeys(reload, Set.of("watch"));
        Operations operations = new Operations(adminToken, drainDelay, reload.getBoolean("watch", false));

        PluginConfig plugins = root.getSection("plugins");
        checkKeys(plugins, Set.of("directory", "work-directory"));
        Path pluginsDirectory = baseDirectory.resolve(plugins.getString("directory", "plugins")).normalize();
        Path pluginsWorkDirectory = plugins.findString("work-directory").map(d -> baseDirectory.resolve(d).normalize())
                .orElse(pluginsDirectory);

        PluginConfig demo = root.getSection("demo");
        checkKeys(demo, Set.of("listen"));
        Optional<InetSocketAddress> demoListen = demo.findString("listen").map(a -> address(demo.path("listen"), a));

        List<FilterSpec> filters = new ArrayList<>();
        List<PluginConfig> entries = root.getSectionList("filters");
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            PluginConfig entry = entries.get(i);
            checkKeys(entry, FILTER_KEYS);
            String type = entry.getString("type").trim();
            if (!type.matches("[a-z0-9][a-z0-9-]*")) {
                throw new ConfigException(entry.path("type"), "expected a filter type such as headers, got \"" + type + "\"");
            }
            String name = entry.getString("name", type + "#" + i).trim();
            if (!names.add(name)) {
                throw new ConfigException(entry.path("name"), "duplicate filter name \"" + name + "\"");
            }
            filters.add(new FilterSpec(i, type, name, when(entry.getSection("when")), entry.getSection("config")));
        }
        PluginConfig websocket = server.getSection("websocket");
        checkKeys(websocket, Set.of("enabled"));
        TunnelSettings tunnels = new TunnelSettings(websocket.getBoolean("enabled", TunnelSettings.DEFAULTS.websocket()),
                positive(t, "tunnel-idle", TunnelSettings.DEFAULTS.idle()),
                l.getInt("tunnels", TunnelSettings.DEFAULTS.max(), 1, 1_000_000));
        return new GatehouseConfig(listen, upstream, timeouts, limits, forwarding, ioThreads,
                new UpstreamPool(maxPerRoute, positive(p, "idle-timeout", Duration.ofMinutes(5)),
                        new ListenerConfigs(baseDirectory).upstreamTls(server.getSection("upstream-tls"))), adminListen, adminAllowedHosts,
                pluginsDirectory, pluginsWorkDirectory, demoListen, filters, operations, tunnels);
    }

    private static WhenSpec when(PluginConfig when) {
        checkKeys(when, WHEN_KEYS);
        List<String> prefixes = when.getStringList("path-prefix");
        for (int i = 0; i < prefixes.size(); i++) {
            if (!prefixes.get(i).startsWith("/")) {
                throw new ConfigException(when.path("path-prefix") + "[" + i + "]", "must start with /");
            }
            try {
                PathNormalizer.normalize(prefixes.get(i)); // compared in normal form, as request paths are
            } catch (IllegalArgumentException e) {
                throw new ConfigException(when.path("path-prefix") + "[" + i + "]", e.getMessage());
            }
        }
        return new WhenSpec(when.getStringList("route"), when.getStringList("host"), prefixes,
                when.getStringList("method"), when.getStringMap("header"));
    }

    private static Duration positive(PluginConfig section, String key, Duration defaultValue) {
        Duration value = section.getDuration(key, defaultValue);
        if (value.isZero() || value.isNegative()) {
            throw new ConfigException(section.path(key), "must be greater than zero");
        }
        return value;
    }

    private static long positiveSize(PluginConfig section, String key, long defaultValue) {
        long value = section.getSize(key, defaultValue);
        if (value <= 0) {
            throw new ConfigException(section.path(key), "must be greater than zero");
        }
        return value;
    }

    private static RequestIds requestIds(PluginConfig section) {
        checkKeys(section, REQUEST_ID_KEYS);
        String header = section.getString("header", RequestIds.DEFAULT_HEADER);
        if (!header.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new ConfigException(section.path("header"), "not a header name: " + header);
        }
        return new RequestIds(section.getBoolean("enabled", true), header);
    }

    private static TraceSettings traceSettings(PluginConfig section) {
        checkKeys(section, TRACE_CONTEXT_KEYS);
        String from = section.getString("continue", "always");
        TraceSettings.Continue continueFrom = switch (from) {
            case "always" -> TraceSettings.Continue.ALWAYS;
            case "trusted-proxies" -> TraceSettings.Continue.TRUSTED_PROXIES;
            case "never" -> TraceSettings.Continue.NEVER;
            default -> throw new ConfigException(section.path("continue"),
                    "expected always, trusted-proxies or never, got \"" + from + "\"");
        };
        String share = section.getString("sampling", "1.0").trim();
        double sampling;
        try {
            sampling = share.endsWith("%") ? Double.parseDouble(share.substring(0, share.length() - 1).trim()) / 100
                    : Double.parseDouble(share);
        } catch (NumberFormatException e) {
            sampling = Double.NaN;
        }
        if (!(sampling >= 0 && sampling <= 1)) {
            throw new ConfigException(section.path("sampling"), "expected a share between 0 and 1 (or 0% to 100%), got \"" + share + "\"");
        }
        return new TraceSettings(section.getBoolean("enabled", true), continueFrom, sampling);
    }

    private static void checkKeys(PluginConfig section, Set<String> known) {
        for (String key : section.keys()) {
            if (!known.contains(key)) {
                throw new ConfigException(section.path(key), "unknown key (known here: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port} or {@code :port}.
     *
     * @param key the key for messages
     * @param text the address
     * @return an unresolved-free socket address
     */
    static InetSocketAddress address(String key, String text) {
        String trimmed = text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(key, "expected host:port, got \"" + text + "\"");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "expected host:port, got \"" + text + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(key, "port out of range in \"" + text + "\"");
        }
        InetSocketAddress address = new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
        if (address.isUnresolved()) {
            throw new ConfigException(key, "unknown host in \"" + text + "\"");
        }
        return address;
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String message = String.valueOf(e.getMessage());
        return message.contains("Is a directory") ? "it is a directory" : message;
    }
}
