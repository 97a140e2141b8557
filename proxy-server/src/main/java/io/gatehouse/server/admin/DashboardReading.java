package io.gatehouse.server.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One reading of the meters the dashboard shows, taken at {@code timeMillis}: the cumulative
 * counts since start (requests by route, cluster and status class, with their latency
 * histogram; each filter's calls, short-circuits, errors and hook latency; the cache's hits and
 * misses) and the current values of gauges (exchanges in flight, connections, endpoints'
 * health, canary weights). Rates and percentiles are the difference of two readings. Immutable.
 *
 * @param timeMillis when it was taken
 * @param pairs by route and cluster
 * @param filters by filter instance name
 * @param caches by cache filter instance name
 * @param splits canary targets, by filter, split and cluster
 * @param endpoints load-balancer endpoints, by filter, cluster and endpoint
 * @param inFlight exchanges in flight
 * @param connections client connections open
 */
record DashboardReading(long timeMillis, Map<Pair, PairCounts> pairs, Map<String, FilterCounts> filters,
                        Map<String, CacheCounts> caches, Map<SplitTarget, SplitCounts> splits,
                        Map<EndpointId, EndpointState> endpoints, double inFlight, double connections) {

    /** The status classes, in the order of {@link PairCounts#byClass}. */
    static final List<String> STATUS_CLASSES = List.of("none", "1xx", "2xx", "3xx", "4xx", "5xx");

    private static final Comparator<Pair> PAIR_ORDER = Comparator.comparing(Pair::route).thenComparing(Pair::cluster);
    private static final Comparator<SplitTarget> SPLIT_ORDER = Comparator.comparing(SplitTarget::filter)
            .thenComparing(SplitTarget::split).thenComparing(SplitTarget::cluster);
    private static final Comparator<EndpointId> ENDPOINT_ORDER = Comparator.comparing(EndpointId::filter)
            .thenComparing(EndpointId::cluster).thenComparing(EndpointId::endpoint);

    private static <K, V> Map<K, V> sorted(Map<K, V> map, Comparator<? super K> order) {
        Map<K, V> copy = new TreeMap<>(order);
        copy.putAll(map);
        return Collections.unmodifiableMap(copy);
    }

    /** Copies every map, kept in a stable order (the order of the dashboard's rows). */
    DashboardReading {
        pairs = sorted(pairs, PAIR_ORDER);
        filters = sorted(filters, Comparator.naturalOrder());
        caches = sorted(caches, Comparator.naturalOrder());
        splits = sorted(splits, SPLIT_ORDER);
        endpoints = sorted(endpoints, ENDPOINT_ORDER);
    }

    /** A route and cluster as tagged on the per-exchange meters ({@code none} when not chosen). */
    record Pair(String route, String cluster) {
    }

    /**
     * @param byClass exchanges ended, by status class (as {@link #STATUS_CLASSES})
     * @param latency their durations
     */
    record PairCounts(long[] byClass, LatencyBuckets latency) {

        /** Nothing yet: what a pair counted before its first exchange. */
        static final PairCounts ZERO = new PairCounts(new long[STATUS_CLASSES.size()], LatencyBuckets.EMPTY);

        PairCounts {
            byClass = byClass.clone();
        }

        /** @return the count of status class {@code index} (as {@link #STATUS_CLASSES}) */
        long count(int index) {
            return byClass[index];
        }

        long total() {
            long sum = 0;
            for (long n : byClass) {
                sum += n;
            }
            return sum;
        }
    }

    /**
     * @param type the filter type
     * @param calls {@code onRequest} calls: the exchanges the filter saw
     * @param shortCircuits hooks that answered
     * @param errors hooks that failed
     * @param onRequest latency of {@code onRequest}
     * @param onResponse latency of {@code onResponse}
     */
    record FilterCounts(String type, long calls, long shortCircuits, long errors, LatencyBuckets onRequest,
                        LatencyBuckets onResponse) {

        /** Nothing yet: what a filter counted before its first call. */
        static final FilterCounts ZERO = new FilterCounts("", 0, 0, 0, LatencyBuckets.EMPTY, LatencyBuckets.EMPTY);
    }

    /** Hits and misses so far, and what is stored now. */
    record CacheCounts(long hits, long misses, double storedBytes, double storedKeys) {
    }

    /** One target of a canary split. */
    record SplitTarget(String filter, String split, String cluster) {
    }

    /** A canary target's current weight and the requests sent to it so far. */
    record SplitCounts(double weight, long served) {

        /** Nothing yet. */
        static final SplitCounts ZERO = new SplitCounts(0, 0);
    }

    /** One endpoint of a load balancer's cluster. */
    record EndpointId(String filter, String cluster, String endpoint) {
    }

    /** What the balancer knows about an endpoint now. */
    record EndpointState(boolean healthy, boolean ejected, double inFlight, long ejections) {
    }

    /**
     * Reads the registry once. Only reads: meters are never created here.
     *
     * @param registry the server's registry
     * @param timeMillis the reading's time
     * @return the reading
     */
    static DashboardReading of(MeterRegistry registry, long timeMillis) {
        Builder b = new Builder();
        for (Meter meter : registry.getMeters()) {
            b.add(meter);
        }
        return b.build(timeMillis);
    }

    /** Sorts meters into a reading by their names and tags. */
    private static final class Builder {

        private final Map<Pair, long[]> requests = new TreeMap<>(PAIR_ORDER);
        private final Map<Pair, LatencyBuckets> durations = new TreeMap<>(PAIR_ORDER);
        private final Map<String, FilterBuilder> filters = new TreeMap<>();
        private final Map<String, double[]> caches = new TreeMap<>();
        private final Map<SplitTarget, double[]> splits = new TreeMap<>(SPLIT_ORDER);
        private final Map<EndpointId, double[]> endpoints = new TreeMap<>(ENDPOINT_ORDER);
        private double inFlight;
        private double connections;

        void add(Meter meter) {
            Meter.Id id = meter.getId();
            String filter = tag(id, "filter");
            switch (id.getName()) {
                case "gatehouse.requests" -> {
                    int cls = STATUS_CLASSES.indexOf(tag(id, "status_class"));
                    if (cls >= 0) {
                        requests.computeIfAbsent(pair(id), p -> new long[STATUS_CLASSES.size()])[cls] += count(meter);
                    }
                }
                case "gatehouse.request.duration" -> durations.merge(pair(id), buckets(meter), LatencyBuckets::plus);
                case "gatehouse.filter.calls" -> {
                    FilterBuilder f = filter(filter, id);
                    if ("onRequest".equals(id.getTag("hook"))) {
                        f.calls += count(meter); // one per exchange the filter saw, as the rates of the routes
                    }
                }
                case "gatehouse.filter.short.circuits" -> filter(filter, id).shortCircuits += count(meter);
                case "gatehouse.filter.errors" -> filter(filter, id).errors += count(meter);
                case "gatehouse.filter.duration" -> {
                    FilterBuilder f = filter(filter, id);
                    if ("onRequest".equals(id.getTag("hook"))) {
                        f.onRequest = f.onRequest.plus(buckets(meter));
                    } else {
                        f.onResponse = f.onResponse.plus(buckets(meter));
                    }
                }
                case "gatehouse.filter.cache.hits" -> caches.computeIfAbsent(filter, f -> new double[4])[0] += value(meter);
                case "gatehouse.filter.cache.misses" -> caches.computeIfAbsent(filter, f -> new double[4])[1] += value(meter);
                case "gatehouse.filter.cache.stored.bytes" -> caches.computeIfAbsent(filter, f -> new double[4])[2] = value(meter);
                case "gatehouse.filter.cache.stored.keys" -> caches.computeIfAbsent(filter, f -> new double[4])[3] = value(meter);
                case "gatehouse.filter.canary.weight" -> split(filter, id)[0] = value(meter);
                case "gatehouse.filter.canary.served" -> split(filter, id)[1] = value(meter);
                case "gatehouse.filter.endpoint.healthy" -> endpoint(filter, id)[0] = value(meter);
                case "gatehouse.filter.endpoint.ejected" -> endpoint(filter, id)[1] = value(meter);
                case "gatehouse.filter.endpoint.in.flight" -> endpoint(filter, id)[2] = value(meter);
                case "gatehouse.filter.endpoint.ejections" -> endpoint(filter, id)[3] = value(meter);
                case "gatehouse.exchanges.in.flight" -> inFlight = value(meter);
                case "gatehouse.client.connections" -> {
                    if ("open".equals(id.getTag("state"))) {
                        connections = value(meter);
                    }
                }
                default -> { }
            }
        }

        private FilterBuilder filter(String name, Meter.Id id) {
            return filters.computeIfAbsent(name, n -> new FilterBuilder(tag(id, "type")));
        }

        private double[] split(String filter, Meter.Id id) {
            return splits.computeIfAbsent(new SplitTarget(filter, tag(id, "split"), tag(id, "cluster")), t -> new double[2]);
        }

        private double[] endpoint(String filter, Meter.Id id) {
            return endpoints.computeIfAbsent(new EndpointId(filter, tag(id, "cluster"), tag(id, "endpoint")), e -> new double[4]);
        }

        DashboardReading build(long timeMillis) {
            Map<Pair, PairCounts> pairs = new TreeMap<>(PAIR_ORDER);
            requests.forEach((pair, byClass) -> pairs.put(pair, new PairCounts(byClass, durations.getOrDefault(pair, LatencyBuckets.EMPTY))));
            durations.forEach((pair, latency) -> pairs.putIfAbsent(pair, new PairCounts(new long[STATUS_CLASSES.size()], latency)));
            Map<String, FilterCounts> filterCounts = new TreeMap<>();
            filters.forEach((name, f) -> filterCounts.put(name, f.build()));
            Map<String, CacheCounts> cacheCounts = new TreeMap<>();
            caches.forEach((name, c) -> cacheCounts.put(name, new CacheCounts((long) c[0], (long) c[1], c[2], c[3])));
            Map<SplitTarget, SplitCounts> splitCounts = new TreeMap<>(SPLIT_ORDER);
            splits.forEach((target, s) -> splitCounts.put(target, new SplitCounts(s[0], (long) s[1])));
            Map<EndpointId, EndpointState> endpointStates = new TreeMap<>(ENDPOINT_ORDER);
            endpoints.forEach((id, e) -> endpointStates.put(id, new EndpointState(e[0] > 0, e[1] > 0, e[2], (long) e[3])));
            return new DashboardReading(timeMillis, pairs, filterCounts, cacheCounts, splitCounts, endpointStates, inFlight, connections);
        }
    }

    /** A filter's meters, added up over its hooks. */
    private static final class FilterBuilder {
        private final String type;
        private long calls;
        private long shortCircuits;
        private long errors;
        private LatencyBuckets onRequest = LatencyBuckets.EMPTY;
        private LatencyBuckets onResponse = LatencyBuckets.EMPTY;

        FilterBuilder(String type) {
            this.type = type;
        }

        FilterCounts build() {
            return new FilterCounts(type, calls, shortCircuits, errors, onRequest, onResponse);
        }
    }

    private static Pair pair(Meter.Id id) {
        return new Pair(tag(id, "route"), tag(id, "cluster"));
    }

    private static String tag(Meter.Id id, String name) {
        return Optional.ofNullable(id.getTag(name)).orElse("");
    }

    private static long count(Meter meter) {
        return (long) value(meter);
    }

    private static double value(Meter meter) {
        double v;
        if (meter instanceof Counter c) {
            v = c.count();
        } else if (meter instanceof FunctionCounter c) {
            v = c.count();
        } else if (meter instanceof Gauge g) {
            v = g.value();
        } else {
            return 0;
        }
        return Double.isFinite(v) ? v : 0;
    }

    private static LatencyBuckets buckets(Meter meter) {
        return meter instanceof Timer t ? LatencyBuckets.of(t.takeSnapshot()) : LatencyBuckets.EMPTY;
    }

}
