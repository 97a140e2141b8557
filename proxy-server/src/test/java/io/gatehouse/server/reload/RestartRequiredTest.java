package io.gatehouse.server.reload;

import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.server.config.GatehouseConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RestartRequiredTest {

    private static final String FULL = """
            server:
              listen: [ "127.0.0.1:8080" ]
              upstream: http://127.0.0.1:9000
              timeouts: { connect: 2s, drain-delay: 5s }
              limits: { body: 1MiB }
              forwarding: { trusted-proxies: [ 10.0.0.0/8, "::1/128" ], request-id: { header: X-Id } }
              upstream-pool: { max-per-route: 64 }
            admin: { listen: "0.0.0.0:9901", token: "0123456789abcdef", allowed-hosts: [ admin.internal ] }
            plugins: { directory: plugins }
            filters: [ { type: headers } ]
            """;

    private static GatehouseConfig parse(String yaml) {
        return new ConfigLoader(Path.of("/opt/gatehouse")).parse(yaml, "test.yaml");
    }

    @Test
    void theSameFileReadTwiceNeedsNoRestart() {
        assertThat(RestartRequired.between(parse(FULL), parse(FULL))).isEmpty();
    }

    @Test
    void serverWideChangesAreNamedAndFilterChangesAreNot() {
        GatehouseConfig changed = parse(FULL.replace("8080", "8081").replace("trusted-proxies: [ 10.0.0.0/8", "trusted-proxies: [ 10.0.0.0/16")
                .replace("0123456789abcdef", "fedcba9876543210").replace("filters: [ { type: headers } ]", "filters: []"));

        assertThat(RestartRequired.between(parse(FULL), changed)).containsExactly("server.forwarding", "admin.token"); // server.listen is applied by the reload
    }
}
