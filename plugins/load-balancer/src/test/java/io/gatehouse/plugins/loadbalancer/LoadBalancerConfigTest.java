package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadBalancerConfigTest {

    private static LoadBalancerConfig parse(String yaml) {
        Map<String, Object> map = new Yaml().load(yaml);
        return new LoadBalancerFilterFactory().parseConfig(PluginConfig.of("filters[1].config", map));
    }

    @Test
    void readsEveryKey() {
        LoadBalancerConfig config = parse("""
                clusters:
                  users:
                    endpoints: [ { url: "http://10.0.0.1:80", weight: 3 }, { url: "http://10.0.0.2:80" } ]
                    policy: consistent-hash
                    hash-key: cookie:session
                    sticky: { cookie: u, max-age: 1h, secure: true, secret: "0123456789abcdef" }
                    health-check: { path: /hc, interval: 2s, timeout: 500ms, healthy-threshold: 1, unhealthy-threshold: 4, expected-statuses: [ "200-204", "302" ] }
                    outlier-detection: { consecutive-errors: 7, base-ejection: 10s, max-ejection: 1m, max-ejected-percent: 30, count-5xx: true }
                    panic-threshold: 20
                    circuit-breaker: { max-requests: 100, max-pending: 20, max-connections-per-endpoint: 10 }
                    retries: { attempts: 3, retry-on: [ reset, "503" ], budget-percent: 10, min-retries: 2, backoff: 5ms, max-backoff: 50ms, replay-body: 8KiB }
                  web:
                    endpoints: [ "http://10.0.0.9:8080" ]
                """);
        ClusterSpec users = config.clusters().get(0);
        assertThat(users.endpoints()).extracting(ClusterSpec.EndpointSpec::weight).containsExactly(3, 1);
        assertThat(users.policy()).isEqualTo(ClusterSpec.Policy.CONSISTENT_HASH);
        assertThat(users.hashKey()).contains(HashKey.parse("cookie:session"));
        assertThat(users.sticky().orElseThrow().template().maxAge()).contains(Duration.ofHours(1));
        assertThat(users.sticky().orElseThrow().template().withValue("id").headerValue()).isEqualTo("u=id; Path=/; Max-Age=3600; Secure; HttpOnly");
        assertThat(users.sticky().orElseThrow().secret()).contains("0123456789abcdef");
        assertThat(users.toString()).as("the secret is never shown").doesNotContain("0123456789abcdef");
        ClusterSpec.HealthCheck check = users.healthCheck().orElseThrow();
        assertThat(check.passes(204)).isTrue();
        assertThat(check.passes(302)).isTrue();
        assertThat(check.passes(205)).isFalse();
        assertThat(users.outlier()).isEqualTo(new ClusterSpec.Outlier(7, Duration.ofSeconds(10), Duration.ofMinutes(1), 30, true));
        assertThat(users.panicPercent()).isEqualTo(20);
        assertThat(users.maxRequests()).isEqualTo(100);
        assertThat(users.maxPending()).isEqualTo(20);
        assertThat(users.maxConnectionsPerEndpoint()).isEqualTo(10);
        assertThat(users.retries()).isEqualTo(new RetryPolicy(3, java.util.Set.of("reset", "503"), 10, 2, Duration.ofMillis(5),
                Duration.ofMillis(50), 8192));
        ClusterSpec web = config.clusters().get(1);
        assertThat(web.policy()).isEqualTo(ClusterSpec.Policy.ROUND_ROBIN);
        assertThat(web.outlier()).isEqualTo(ClusterSpec.Outlier.DEFAULT);
        assertThat(web.healthCheck()).isEmpty();
        assertThat(web.retries()).isEqualTo(RetryPolicy.DEFAULT);
    }

    @Test
    void theDefaultClusterIsExplicit() {
        assertThat(parse("clusters: { a: { endpoints: [ \"http://h:1\" ] } }").defaultCluster())
                .as("one cluster is not a default by itself").isEmpty();
        assertThat(parse("{ default-cluster: a, clusters: { a: { endpoints: [ \"http://h:1\" ] } } }").defaultCluster()).contains("a");
    }

    @Test
    void percentagesFollowTheSharedRuleAndPoliciesAreCaseInsensitive() {
        ClusterSpec spec = parse("""
                clusters:
                  a:
                    endpoints: [ "http://h:1" ]
                    policy: Least-Request
                    panic-threshold: "12.5%"
                    outlier-detection: { max-ejected-percent: 30% }
                    retries: { budget-percent: 2.5 }
                """).clusters().get(0);
        assertThat(spec.policy()).isEqualTo(ClusterSpec.Policy.LEAST_REQUEST);
        assertThat(spec.panicPercent()).isEqualTo(12.5);
        assertThat(spec.outlier().maxEjectedPercent()).isEqualTo(30.0);
        assertThat(spec.retries().budgetPercent()).isEqualTo(2.5);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            clusters: {}                                                                   | filters[1].config.clusters: at least one cluster is needed
            clusters: { a: { policy: random } }                                            | filters[1].config.clusters.a.endpoints: is required
            clusters: { a: { endpoints: [] } }                                             | filters[1].config.clusters.a.endpoints: needs at least one endpoint
            clusters: { a: { endpoints: [ "ftp://x" ] } }                                  | filters[1].config.clusters.a.endpoints[0]:
            clusters: { a: { endpoints: [ "http://h:1", "http://h:1" ] } }                | filters[1].config.clusters.a.endpoints[1]: duplicate endpoint
            clusters: { a: { endpoints: [ { url: "http://h:1", weight: 0 } ] } }           | filters[1].config.clusters.a.endpoints[0].weight: must be between 1 and 1000
            clusters: { a: { endpoints: [ "http://h:1" ], policy: fastest } }              | filters[1].config.clusters.a.policy: expected one of round-robin, random, least-request, peak-ewma, consistent-hash, got "fastest"
            clusters: { a: { endpoints: [ "http://h:1" ], policy: consistent-hash } }      | filters[1].config.clusters.a.hash-key: is required for policy consistent-hash
            clusters: { a: { endpoints: [ "http://h:1" ], hash-key: path } }               | filters[1].config.clusters.a.hash-key: only for policy consistent-hash
            clusters: { a: { endpoints: [ "http://h:1" ], policy: consistent-hash, hash-key: body } } | filters[1].config.clusters.a.hash-key: expected header:NAME
            clusters: { a: { endpoints: [ "http://h:1" ], health-check: { interval: 0s } } } | filters[1].config.clusters.a.health-check.interval: must be positive
            clusters: { a: { endpoints: [ "http://h:1" ], health-check: { expected-statuses: [ "2xx" ] } } } | filters[1].config.clusters.a.health-check.expected-statuses: expected statuses such as 200
            clusters: { a: { endpoints: [ "http://h:1" ], panic-threshold: 120 } }         | filters[1].config.clusters.a.panic-threshold: must be a percentage
            clusters: { a: { endpoints: [ "http://h:1" ], circuit-breaker: { max-request: 1 } } } | filters[1].config.clusters.a.circuit-breaker.max-request: unknown key
            clusters: { a: { endpoints: [ "http://h:1" ], sticky: { cookie: "a b" } } }   | filters[1].config.clusters.a.sticky.cookie: must be a cookie name
            clusters: { a: { endpoints: [ "http://h:1" ], retry: {} } }                    | filters[1].config.clusters.a.retry: unknown key
            clusters: { a: { endpoints: [ "http://h:1" ], retries: { retry-on: [ oops ] } } } | filters[1].config.clusters.a.retries.retry-on: expected connect-failure, reset, timeout or a status
            clusters: { a: { endpoints: [ "http://h:1" ], retries: { replay-body: 1GiB } } } | filters[1].config.clusters.a.retries.replay-body: must be between 0B and 16MiB
            clusters: { a: { endpoints: [ "ftp://h:1" ] } }                                | filters[1].config.clusters.a.endpoints[0]: expected an http or https URL
            clusters: { a: { endpoints: [ { url: "http://h:1/x" } ] } }                    | filters[1].config.clusters.a.endpoints[0].url: expected http://host:port without path
            clusters: { a: { endpoints: [ "http://h:1" ], outlier-detection: { max-ejected-percent: "50 percent" } } } | filters[1].config.clusters.a.outlier-detection.max-ejected-percent: must be a percentage
            clusters: { a: { endpoints: [ "http://h:1" ], outlier-detection: { consecutive-errors: -1 } } } | filters[1].config.clusters.a.outlier-detection.consecutive-errors: must not be negative, got -1
            clusters: { a: { endpoints: [ "http://h:1" ], health-check: { healthy-threshold: 0 } } } | filters[1].config.clusters.a.health-check.healthy-threshold: must be at least 1, got 0
            clusters: { a: { endpoints: [ "http://h:1" ], sticky: { max-age: 0s } } }        | filters[1].config.clusters.a.sticky.max-age: must be positive
            clusters: { a: { endpoints: [ "http://h:1" ], sticky: { secret: short } } }       | filters[1].config.clusters.a.sticky.secret: must be at least 16 characters
            clusters: { a: { endpoints: [ "http://h:1" ], outlier-detection: { count-5xx: maybe } } } | filters[1].config.clusters.a.outlier-detection.count-5xx:
            { default-cluster: b, clusters: { a: { endpoints: [ "http://h:1" ] } } }          | filters[1].config.default-cluster: names no cluster of this balancer: "b" (clusters: a)
            """)
    void badConfigNamesTheKey(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
