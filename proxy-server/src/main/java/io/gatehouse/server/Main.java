package io.gatehouse.server;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.Upstream;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.config.GatehouseConfig;
import io.gatehouse.server.reload.FileConfigSource;
import io.gatehouse.server.reload.ReloadSignal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * The {@code gatehouse} command. Exit codes: 0 after a clean shutdown, 2 for a bad config or
 * command line (one line on stderr naming the key), 1 for anything else.
 */
public final class Main {

    private static final String USAGE = String.join("\n",
            "Usage: gatehouse [--config FILE] [--upstream URL] [--help] [--version]",
            "       gatehouse explain [--config FILE] METHOD URL [-H 'Name: value']...",
            "",
            "Runs the Gatehouse reverse proxy. 'explain' prints which route and filters a request would take, and why,",
            "without starting the proxy (e.g. gatehouse explain GET http://api.example.com/v1/users).",
            "  --config FILE    configuration file (default: conf/gatehouse.yaml of the installation)",
            "  --upstream URL   fallback origin, overrides server.upstream (e.g. http://127.0.0.1:9000)",
            "  --help           print this help",
            "  --version        print the version",
            "",
            "Environment: GATEHOUSE_LOG_DIR (where logs go; default: logs/ of the installation),",
            "             GATEHOUSE_DEBUG=1 (stack traces on errors).",
            "Stop with SIGTERM or Ctrl-C: in-flight requests finish within server.timeouts.shutdown-grace.",
            "Reload the configuration (and new plugin archives) with SIGHUP or POST /reload on the admin listener.");

    private Main() {
    }

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String homeSetting = System.getProperty("gatehouse.home", System.getenv().getOrDefault("GATEHOUSE_HOME", "."));
        Path home = Paths.get(homeSetting).toAbsolutePath().normalize();
        Path configFile = home.resolve("conf/gatehouse.yaml");
        if (args.length > 0 && args[0].equals("explain")) {
            return explain(args, home, configFile, out, err);
        }
        String upstream = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help":
                case "-h":
                    out.println(USAGE);
                    return 0;
                case "--version":
                    out.println("gatehouse " + version());
                    return 0;
                case "--config":
                    if (i + 1 >= args.length) {
                        err.println("gatehouse: --config needs a file");
                        return 2;
                    }
                    configFile = Paths.get(args[++i]).toAbsolutePath();
                    break;
                case "--upstream":
                    if (i + 1 >= args.length) {
                        err.println("gatehouse: --upstream needs a URL");
                        return 2;
                    }
                    upstream = args[++i];
                    break;
                default:
                    err.println("gatehouse: unknown option " + args[i] + " (see --help)");
                    return 2;
            }
        }
        GatehouseServer server;
        try {
            UnaryOperator<GatehouseConfig> overrides = UnaryOperator.identity();
            if (upstream != null) {
                Upstream target;
                try {
                    target = Upstream.parse(upstream);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("--upstream", e.getMessage());
                }
                overrides = config -> config.withUpstream(target);
            }
            FileConfigSource source = new FileConfigSource(new ConfigLoader(home), configFile, overrides);
            server = GatehouseServer.start(source.read(), List.of(), Optional.of(source));
        } catch (ConfigException e) {
            err.println("gatehouse: config error: " + e.getMessage());
            debug(e, err);
            return 2;
        } catch (RuntimeException e) {
            err.println("gatehouse: failed to start: " + e);
            debug(e, err);
            return 1;
        }
        // SIGTERM and Ctrl-C start the JVM's shutdown: finish in-flight exchanges within the grace
        // period, then end with status 0 (a plain shutdown hook would end with 143).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            out.flush();
            Runtime.getRuntime().halt(0);
        }, "gatehouse-shutdown"));
 // SIGHUP reloads (systemd's ExecReload=kill -HUP $MAINPID): validated, swapped, or rejected with the reason logged
        ReloadSignal.install(server::reload);
        out.println("gatehouse " + version() + " listening on " + server.addresses()
                + server.adminAddress().map(a -> ", admin on " + a).orElse(""));
        out.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int explain(String[] args, Path home, Path configFile, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        err.println("gatehouse explain: --config needs a file");
                        return 2;
                    }
                    configFile = Paths.get(args[++i]).toAbsolutePath();
                }
                case "-H", "--header" -> {
                    int colon = i + 1 < args.length ? args[i + 1].indexOf(':') : -1;
                    if (colon <= 0) {
                        err.println("gatehouse explain: -H needs 'Name: value'");
                        return 2;
                    }
                    String header = args[++i];
                    headers.add(Map.entry(header.substring(0, colon).trim(), header.substring(colon + 1).trim()));
                }
                default -> positional.add(args[i]);
            }
        }
        if (positional.size() != 2) {
            err.println("gatehouse explain: needs METHOD and URL, e.g. gatehouse explain GET http://example.com/path");
            return 2;
        }
        try {
            GatehouseConfig config = new ConfigLoader(home).load(configFile);
            for (String line : GatehouseServer.explain(config, List.of(), positional.get(0), positional.get(1), headers)) {
                out.println(line);
            }
            out.flush();
            return 0;
        } catch (ConfigException e) {
            err.println("gatehouse: config error: " + e.getMessage());
            debug(e, err);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("gatehouse explain: " + e.getMessage());
            return 2;
        }
    }

    private static void debug(Throwable e, PrintStream err) {
        if ("1".equals(System.getenv("GATEHOUSE_DEBUG"))) {
            e.printStackTrace(err);
        }
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
