package io.gatehouse.server.config;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.Upstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader(Path.of("/opt/gatehouse"));

    private GatehouseConfig parse(String yaml) {
        return loader.parse(yaml, "test.yaml");
    }

    @Test
    void tunnelSettingsHaveDefaultsAndAreRead() {
        assertThat(parse("").tunnels()).isEqualTo(TunnelSettings.DEFAULTS);
        assertThat(TunnelSettings.DEFAULTS).isEqualTo(new TunnelSettings(true, Duration.ofHours(1), 1024));
        assertThat(parse("server: { websocket: { enabled: false }, timeouts: { tunnel-idle: 90s }, limits: { tunnels: 10 } }").tunnels())
                .isEqualTo(new TunnelSettings(false, Duration.ofSeconds(90), 10));
    }

    @Test
    void emptyConfigGivesDefaults() {
        GatehouseConfig config = parse("");

        assertThat(config.listenAddresses()).containsExactly(new InetSocketAddress("0.0.0.0", 8080));
        assertThat(config.upstream()).isEmpty();
        assertThat(config.timeouts().connect()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.timeouts().response()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.timeouts().idle()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.timeouts().requestHead()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.timeouts().filter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.limits()).isEqualTo(new Limits(8192, 32768, 64L << 20, Limits.defaultConnections(Runtime.getRuntime().maxMemory())));
        assertThat(config.forwarding().preserveHost()).isTrue();
        assertThat(config.forwarding().trustedProxies()).isEmpty();
        assertThat(config.pluginsDirectory()).isEqualTo(Path.of("/opt/gatehouse/plugins"));
        assertThat(config.adminListen()).isEmpty();
        assertThat(config.upstreamPool()).isEqualTo(new UpstreamPool(1024, Duration.ofMinutes(5)));
        assertThat(config.filters()).isEmpty();
    }

    @Test
    void fullConfigIsBound() {
        GatehouseConfig config = parse(String.join("\n",
                "server:",
                "  listen: [\"127.0.0.1:8081\", \":8082\"]",
                "  upstream: http://10.0.0.1:9000",
                "  timeouts: { connect: 500ms, response: 2s, idle: 1m, request-head: 3s, filter: 250ms, shutdown-grace: 5s }",
                "  limits: { request-line: 4KiB, headers: 16KiB, body: 2GiB, connections: 500 }",
                "  forwarding: { trusted-proxies: [\"10.0.0.0/8\", \"::1\"], preserve-host: false, via: edge-1 }",
                "  io-threads: 3",
                "  upstream-pool: { max-per-route: 100, idle-timeout: 90s }",
                "admin: { listen: \"127.0.0.1:9901\" }",
                "plugins: { directory: /srv/plugins }",
                "filters:",
                "  - type: headers",
                "    name: add-env",
                "    when: { route: [public, admin], path-prefix: /api, method: GET, header: { X-A: \"1\" } }",
                "    config: { response: { set: { X-Env: prod } } }",
                "  - type: static-response"));

        assertThat(config.listenAddresses()).containsExactly(new InetSocketAddress("127.0.0.1", 8081), new InetSocketAddress("0.0.0.0", 8082));
        assertThat(config.upstream()).contains(new Upstream("http", "10.0.0.1", 9000));
        assertThat(config.timeouts()).isEqualTo(new Timeouts(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(1),
                Duration.ofSeconds(3), Duration.ofMillis(250), Duration.ofSeconds(5)));
        assertThat(config.limits()).isEqualTo(new Limits(4096, 16384, 2L << 30, 500));
        assertThat(config.forwarding().preserveHost()).isFalse();
        assertThat(config.forwarding().via()).isEqualTo("edge-1");
        assertThat(config.forwarding().trusts(java.net.InetAddress.getLoopbackAddress())).isFalse();
        assertThat(config.ioThreads()).isEqualTo(3);
        assertThat(config.upstreamPool()).isEqualTo(new UpstreamPool(100, Duration.ofSeconds(90)));
        assertThat(config.adminListen()).contains(new InetSocketAddress("127.0.0.1", 9901));
        assertThat(config.pluginsDirectory()).isEqualTo(Path.of("/srv/plugins"));
        assertThat(config.filters()).hasSize(2);
        FilterSpec first = config.filters().get(0);
        assertThat(first.type()).isEqualTo("headers");
        assertThat(first.name()).isEqualTo("add-env");
        assertThat(first.when().route()).containsExactly("public", "admin");
        assertThat(first.when().pathPrefixes()).containsExactly("/api");
        assertThat(first.when().methods()).containsExactly("GET");
        assertThat(first.when().headers()).containsEntry("X-A", "1");
        assertThat(first.config().getSection("response").getStringMap("set")).containsEntry("X-Env", "prod");
        assertThat(first.config().path("response")).isEqualTo("filters[0].config.response");
        assertThat(config.filters().get(1).name()).isEqualTo("static-response#1");
        assertThat(config.filters().get(1).when().always()).isTrue();
    }

    @Test
    void emptyFilterListIsValid() {
        assertThat(parse("server: { upstream: \"http://127.0.0.1:9000\" }\nfilters: []\n").filters()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "server: { timeouts: { connect: fast } }|server.timeouts.connect: expected a duration",
        "server: { timeouts: { response: 0s } }|server.timeouts.response: must be greater than zero",
        "server: { limits: { body: lots } }|server.limits.body: expected a size",
        "server: { limits: { headers: 2MiB } }|server.limits.headers: must be at most 1MiB",
        "server: { limits: { connections: 0 } }|server.limits.connections: must be between 1 and 1000000",
        "server: { listen: [\"nohost\"] }|server.listen[0]: expected host:port",
        "server: { listen: [\"127.0.0.1:99999\"] }|server.listen[0]: port out of range",
        "server: { upstream: \"ftp://x:1\" }|server.upstream: upstreams are http, https, h2c or h2 URLs, not ftp",
        "server: { upstream: \"http://x:1/path\" }|server.upstream: expected http://host:port without path",
        "server: { timeout: { connect: 1s } }|server.timeout: unknown key",
        "server: { forwarding: { trusted-proxies: [\"10.0.0.0/33\"] } }|server.forwarding.trusted-proxies[0]: prefix length out of range",
        "server: { forwarding: { trusted-proxies: [\"example.com\"] } }|server.forwarding.trusted-proxies[0]: expected an IP address",
        "server: { io-threads: 0 }|server.io-threads: must be between 1 and 256",
        "server: { upstream-pool: { max-per-route: 0 } }|server.upstream-pool.max-per-route: must be at least 1",
        "server: { upstream-pool: { max-total: 5 } }|server.upstream-pool.max-total: unknown key",
        "filters: [ { name: x } ]|filters[0].type: required value is missing",
        "filters: [ { type: Bad_Type } ]|filters[0].type: expected a filter type",
        "filters: [ { type: a, name: n }, { type: b, name: n } ]|filters[1].name: duplicate filter name",
        "filters: [ { type: a, when: { path-prefix: api } } ]|filters[0].when.path-prefix[0]: must start with /",
        "filters: [ { type: a, when: { path-prefix: [/ok, /../x] } } ]|filters[0].when.path-prefix[1]: the path climbs above the root",
        "filters: [ { type: a, when: { path-prefix: /a%2Fb } } ]|filters[0].when.path-prefix[0]: encoded slash or backslash in the path",
        "filters: [ { type: a, when: { verb: GET } } ]|filters[0].when.verb: unknown key",
        "filters: [ { type: a, extra: 1 } ]|filters[0].extra: unknown key",
        "bogus: 1|bogus: unknown key",
        "server: { timeouts: { tunnel-idle: 0s } }|server.timeouts.tunnel-idle:",
        "server: { limits: { tunnels: 0 } }|server.limits.tunnels:",
        "server: { websocket: { enabled: maybe } }|server.websocket.enabled:",
        "server: { websocket: { idle: 1s } }|server.websocket.idle: unknown key",
        "filters: [ { type: a, config: { response-value: on } } ]|filters[0].config.response-value: YAML 1.1 reads on as a boolean: write true or false, or quote it (\"on\")",
        "filters: [ { type: a, config: { list: [a, no] } } ]|filters[0].config.list[1]: YAML 1.1 reads no as a boolean",
        "server: { io-threads: 0x2 }|server.io-threads: YAML 1.1 reads 0x2 as another number than written",
        "filters: [ { type: a, config: { mode: 0755 } } ]|filters[0].config.mode: YAML 1.1 reads 0755 as another number",
        "filters: [ { type: a, config: { size: 1e3 } } ]|filters[0].config.size: YAML 1.1 reads 1e3 as another number",
        "filters: [ { type: a, config: { at: 10:30 } } ]|filters[0].config.at: YAML 1.1 reads 10:30 as another number",
        "server: [ 1, 2 ]|server: expected a section",
        "'server: { listen: [\"a:1\"'|test.yaml: not valid YAML"
    })
    void badValuesNameTheKey(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }

    @Test
    void valuesWrittenAsYamlMeansThemPass() {
        GatehouseConfig config = parse("server: { io-threads: 3, forwarding: { preserve-host: false } }\n"
                + "filters: [ { type: a, config: { text: \"on\", other: 'yes', flag: true, n: -12, x: 1.5, s: \"1e3\" } } ]");

        assertThat(config.ioThreads()).isEqualTo(3);
        assertThat(config.filters().get(0).config().getString("text")).isEqualTo("on");
        assertThat(config.filters().get(0).config().getString("other")).isEqualTo("yes");
        assertThat(config.filters().get(0).config().getString("s")).isEqualTo("1e3");
    }

    @Test
    void unreadableFileNamesTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> loader.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": cannot read the config file: no such file");
        assertThatThrownBy(() -> loader.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessage(dir + ": cannot read the config file: it is a directory");
    }

    @Test
    void fileIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("g.yaml");
        Files.writeString(file, "server:\n  listen: [\"127.0.0.1:1234\"]\n");

        assertThat(loader.load(file).listenAddresses()).containsExactly(new InetSocketAddress("127.0.0.1", 1234));
    }

    @Test
    void relativePluginDirectoryResolvesAgainstHome() {
        assertThat(parse("plugins: { directory: extra/plugins }").pluginsDirectory())
                .isEqualTo(Path.of("/opt/gatehouse/extra/plugins"));
    }

    @Test
    void listOfOneFilterIsAList() {
        List<FilterSpec> filters = parse("filters:\n  - type: headers\n").filters();

        assertThat(filters).extracting(FilterSpec::type).containsExactly("headers");
    }

    @Test
    void aKeyYamlReadsAsABooleanIsNamedWithAHint() {
        assertThatThrownBy(() -> parse("filters:\n  - type: x\n    config:\n      retries: { on: [ reset ] }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("filters[0].config.retries.true: a key that YAML reads as a boolean or number (on, off, yes, no, "
                        + "true, false, 1...): quote it, e.g. \"on\":");
    }

    @Test
    void anAdminListenerBeyondLoopbackNeedsAToken() {
        assertThatThrownBy(() -> new ConfigLoader(Path.of("")).parse("admin: { listen: \"0.0.0.0:9901\" }", "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("admin.token: required when admin.listen is not a loopback address (0.0.0.0)");
        assertThatThrownBy(() -> new ConfigLoader(Path.of("")).parse("admin: { listen: \"127.0.0.1:9901\", token: short }", "test.yaml"))
                .hasMessage("admin.token: must be at least 16 characters");
        GatehouseConfig config = new ConfigLoader(Path.of("")).parse("""
                server: { timeouts: { drain-delay: 5s } }
                admin: { listen: "0.0.0.0:9901", token: "0123456789abcdef" }
                reload: { watch: true }
                """, "test.yaml");
        assertThat(config.operations().adminToken()).contains("0123456789abcdef");
        assertThat(config.operations().drainDelay()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(config.operations().watchConfig()).isTrue();
        assertThat(config.operations().toString()).doesNotContain("0123456789abcdef");
        assertThat(new ConfigLoader(Path.of("")).parse("", "test.yaml").operations()).isEqualTo(Operations.DEFAULTS);
    }
}
