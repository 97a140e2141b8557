package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Upstream;
import io.gatehouse.api.http.SetCookie;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One cluster as configured under {@code clusters.<name>}.
 *
 * @param name the cluster's name
 * @param endpoints its servers with their weights
 * @param policy the balancing policy
 * @param hashKey what {@code consistent-hash} hashes
 * @param sticky cookie affinity, if configured
 * @param healthCheck active health checking, if configured
 * @param outlier passive health checking (on unless {@code consecutive-errors: 0})
 * @param panicPercent below this share of available endpoints, balance over all of them
 * @param maxRequests concurrent requests to the cluster before 503 (0: no limit)
 * @param maxPending attempts waiting for a connection before new requests get 503 (0: no limit)
 * @param maxConnectionsPerEndpoint connections in use to one endpoint (each carries one request:
 *     HTTP/1.1) before the endpoint is skipped (0: no limit)
 * @param retries the retry policy
 */
record ClusterSpec(String name, List<EndpointSpec> endpoints, Policy policy, Optional<HashKey> hashKey,
                   Optional<Sticky> sticky, Optional<HealthCheck> healthCheck, Outlier outlier, double panicPercent,
                   int maxRequests, int maxPending, int maxConnectionsPerEndpoint, RetryPolicy retries) {

    ClusterSpec {
        endpoints = List.copyOf(endpoints);
    }

    /** The balancing policies. */
    enum Policy {
        ROUND_ROBIN("round-robin"), RANDOM("random"), LEAST_REQUEST("least-request"), PEAK_EWMA("peak-ewma"),
        CONSISTENT_HASH("consistent-hash");

        final String configName;

        Policy(String configName) {
            this.configName = configName;
        }
    }

    /**
     * @param upstream where
     * @param weight relative share, at least 1
     */
    record EndpointSpec(Upstream upstream, int weight) {
    }

    /**
     * @param template the cookie as configured (name, {@code Path=/}, max-age, secure, http-only),
     *     given each response's signed endpoint id as its value
     * @param secret the key that signs the values ({@code sticky.secret}), or empty: one is
     *     generated at start, and cookies hold only on this instance until it restarts
     */
    record Sticky(SetCookie template, Optional<String> secret) {

        /** @return the cookie's name */
        String cookie() {
            return template.name();
        }

        /** Never shows the secret. */
        @Override
        public String toString() {
            return "Sticky[" + template.headerValue() + (secret.isPresent() ? ", secret configured" : ", secret generated") + "]";
        }
    }

    /**
     * @param path the probe's path
     * @param interval time between probes of one endpoint
     * @param timeout a probe without an answer by then fails
     * @param healthyThreshold passing probes in a row that make an unhealthy endpoint healthy
     * @param unhealthyThreshold failing probes in a row that make a healthy endpoint unhealthy
     * @param expected statuses that pass, as inclusive ranges {@code [from, to]}
     */
    record HealthCheck(String path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold,
                       List<int[]> expected) {

        boolean passes(int status) {
            for (int[] range : expected) {
                if (status >= range[0] && status <= range[1]) {
                    return true;
                }
            }
            return false;
        }

        /** By value, ranges included: a reload keeps a balancer's state only for an equal configuration. */
        @Override
        public boolean equals(Object other) {
            return other instanceof HealthCheck that && path.equals(that.path) && interval.equals(that.interval)
                    && timeout.equals(that.timeout) && healthyThreshold == that.healthyThreshold
                    && unhealthyThreshold == that.unhealthyThreshold && ranges().equals(that.ranges());
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(path, interval, timeout, healthyThreshold, unhealthyThreshold, ranges());
        }

        private List<List<Integer>> ranges() {
            return expected.stream().map(range -> java.util.Arrays.stream(range).boxed().toList()).toList();
        }
    }

    /**
     * @param consecutiveErrors failed attempts in a row (connect failures, resets, timeouts; and
     *     5xx answers with {@code count5xx}) that eject an endpoint (0: never)
     * @param baseEjection the first ejection's length; the n-th lasts n times as long
     * @param maxEjection the longest ejection
     * @param maxEjectedPercent at most this share of the cluster is ejected at once (at least one
     *     endpoint unless 0, never all)
     * @param count5xx whether 5xx answers count as errors; otherwise any answer resets the count
     */
    record Outlier(int consecutiveErrors, Duration baseEjection, Duration maxEjection, double maxEjectedPercent, boolean count5xx) {

        /** The defaults: 5 errors in a row, 30 s growing to 5 min, 10 % of the cluster, 5xx not counted. */
        static final Outlier DEFAULT = new Outlier(5, Duration.ofSeconds(30), Duration.ofMinutes(5), 10, false);

        /**
         * @param endpoints the cluster's size
         * @return how many of its endpoints may be ejected at once: {@code maxEjectedPercent} of
         *     them rounded down, but at least one (unless the share is 0) and never all
         */
        int maxEjected(int endpoints) {
            if (maxEjectedPercent <= 0) {
                return 0;
            }
            int share = (int) Math.floor(maxEjectedPercent * endpoints / 100.0);
            return Math.min(endpoints - 1, Math.max(1, share));
        }
    }
}
