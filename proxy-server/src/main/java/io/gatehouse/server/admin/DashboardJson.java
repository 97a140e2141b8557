package io.gatehouse.server.admin;

import io.gatehouse.server.admin.DashboardHistory.Point;
import io.gatehouse.server.admin.DashboardReading.CacheCounts;
import io.gatehouse.server.admin.DashboardReading.EndpointId;
import io.gatehouse.server.admin.DashboardReading.EndpointState;
import io.gatehouse.server.admin.DashboardReading.FilterCounts;
import io.gatehouse.server.admin.DashboardReading.Pair;
import io.gatehouse.server.admin.DashboardReading.PairCounts;
import io.gatehouse.server.admin.DashboardReading.SplitCounts;
import io.gatehouse.server.admin.DashboardReading.SplitTarget;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The dashboard's document ({@code GET /dashboard.json}): the charts' points and the tables'
 * rows, computed from a {@link DashboardHistory}. Rates, shares and percentiles of the tables are
 * taken over the history's window (the last few intervals); totals are since start. Durations are
 * in milliseconds; a value that cannot be known (a percentile without requests) is {@code null}.
 */
final class DashboardJson {

    private static final int CLASS_4XX = DashboardReading.STATUS_CLASSES.indexOf("4xx");
    private static final int CLASS_5XX = DashboardReading.STATUS_CLASSES.indexOf("5xx");

    private DashboardJson() {
    }

    /**
     * @param history what the sampler recorded
     * @param intervalSeconds the sampling interval
     * @return the document
     */
    static String render(DashboardHistory history, double intervalSeconds) {
        JsonText json = new JsonText().beginObject();
        DashboardReading empty = new DashboardReading(0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0, 0);
        DashboardHistory.View view = history.view();
        DashboardReading latest = view.latest().orElse(empty);
        DashboardReading start = view.windowStart().orElse(latest);
        double seconds = (latest.timeMillis() - start.timeMillis()) / 1000.0;
        json.member("time", latest.timeMillis()).member("intervalSeconds", intervalSeconds).member("windowSeconds", seconds);
        summary(json, start, latest, seconds);
        points(json, view.points());
        rows(json, "routes", group(start, Pair::route), group(latest, Pair::route), seconds);
        rows(json, "clusters", group(start, Pair::cluster), group(latest, Pair::cluster), seconds);
        endpoints(json, latest);
        splits(json, start, latest);
        caches(json, start, latest);
        filters(json, start, latest, seconds);
        return json.endObject().toString();
    }

    private static void summary(JsonText json, DashboardReading start, DashboardReading latest, double seconds) {
        PairCounts before = total(start);
        PairCounts now = total(latest);
        long requests = now.total() - before.total();
        LatencyBuckets latency = now.latency().minus(before.latency());
        json.name("summary").beginObject()
                .member("requests", now.total())
                .member("rate", rate(requests, seconds))
                .member("errorShare", requests == 0 ? Double.NaN : 100.0 * (now.count(CLASS_5XX) - before.count(CLASS_5XX)) / requests);
        percentiles(json, latency);
        json.member("inFlight", latest.inFlight()).member("connections", latest.connections()).endObject();
    }

    private static void points(JsonText json, List<Point> points) {
        json.name("points").beginArray();
        for (Point point : points) {
            json.beginObject().member("t", point.timeMillis()).member("rate", point.rate());
            percentiles(json, point.latency());
            json.name("classes").beginObject();
            for (int i = 0; i < DashboardReading.STATUS_CLASSES.size(); i++) {
                json.member(DashboardReading.STATUS_CLASSES.get(i), point.classRates().get(i));
            }
            json.endObject().endObject();
        }
        json.endArray();
    }

    private static void rows(JsonText json, String name, Map<String, PairCounts> before, Map<String, PairCounts> now, double seconds) {
        json.name(name).beginArray();
        now.forEach((key, counts) -> {
            PairCounts earlier = before.getOrDefault(key, PairCounts.ZERO);
            long requests = counts.total() - earlier.total();
            LatencyBuckets latency = counts.latency().minus(earlier.latency());
            json.beginObject().member("name", key).member("requests", counts.total()).member("rate", rate(requests, seconds))
                    .member("4xx", counts.count(CLASS_4XX)).member("5xx", counts.count(CLASS_5XX));
            percentiles(json, latency);
            json.endObject();
        });
        json.endArray();
    }

    private static void endpoints(JsonText json, DashboardReading latest) {
        json.name("endpoints").beginArray();
        for (Map.Entry<EndpointId, EndpointState> entry : latest.endpoints().entrySet()) {
            EndpointId id = entry.getKey();
            EndpointState state = entry.getValue();
            json.beginObject().member("filter", id.filter()).member("cluster", id.cluster()).member("endpoint", id.endpoint())
                    .member("state", !state.healthy() ? "down" : state.ejected() ? "ejected" : "up")
                    .member("inFlight", state.inFlight()).member("ejections", state.ejections()).endObject();
        }
        json.endArray();
    }

    private static void splits(JsonText json, DashboardReading start, DashboardReading latest) {
        Map<String, double[]> sums = new LinkedHashMap<>(); // per filter and split: weights, served, served in the window
        latest.splits().forEach((target, counts) -> {
            double[] sum = sums.computeIfAbsent(target.filter() + '\n' + target.split(), k -> new double[3]);
            sum[0] += counts.weight();
            sum[1] += counts.served();
            sum[2] += counts.served() - servedBefore(start, target);
        });
        json.name("splits").beginArray();
        latest.splits().forEach((target, counts) -> {
            double[] sum = sums.get(target.filter() + '\n' + target.split());
            double recent = counts.served() - servedBefore(start, target);
            json.beginObject().member("filter", target.filter()).member("split", target.split()).member("cluster", target.cluster())
                    .member("weight", counts.weight()).member("weightShare", share(counts.weight(), sum[0]))
                    .member("served", counts.served()).member("servedShare", share(counts.served(), sum[1]))
                    .member("recentShare", share(recent, sum[2])).endObject();
        });
        json.endArray();
    }

    private static long servedBefore(DashboardReading start, SplitTarget target) {
        return start.splits().getOrDefault(target, SplitCounts.ZERO).served();
    }

    private static void caches(JsonText json, DashboardReading start, DashboardReading latest) {
        json.name("caches").beginArray();
        latest.caches().forEach((filter, counts) -> {
            CacheCounts earlier = start.caches().getOrDefault(filter, new CacheCounts(0, 0, 0, 0));
            long hits = counts.hits() - earlier.hits();
            long misses = counts.misses() - earlier.misses();
            json.beginObject().member("filter", filter).member("hits", counts.hits()).member("misses", counts.misses())
                    .member("hitRatio", share(counts.hits(), counts.hits() + counts.misses()))
                    .member("recentHitRatio", share(hits, hits + misses))
                    .member("storedKeys", counts.storedKeys()).member("storedBytes", counts.storedBytes()).endObject();
        });
        json.endArray();
    }

    private static void filters(JsonText json, DashboardReading start, DashboardReading latest, double seconds) {
        json.name("filters").beginArray();
        latest.filters().forEach((name, counts) -> {
            FilterCounts earlier = start.filters().getOrDefault(name, FilterCounts.ZERO);
            long calls = counts.calls() - earlier.calls();
            LatencyBuckets onRequest = counts.onRequest().minus(earlier.onRequest());
            LatencyBuckets onResponse = counts.onResponse().minus(earlier.onResponse());
            json.beginObject().member("name", name).member("type", counts.type()).member("calls", counts.calls())
                    .member("rate", rate(calls, seconds)).member("shortCircuits", counts.shortCircuits()).member("errors", counts.errors())
                    .member("requestMean", millis(onRequest.mean())).member("requestP95", millis(onRequest.quantile(0.95)))
                    .member("responseMean", millis(onResponse.mean())).member("responseP95", millis(onResponse.quantile(0.95)))
                    .endObject();
        });
        json.endArray();
    }

    private static void percentiles(JsonText json, LatencyBuckets latency) {
        json.member("p50", millis(latency.quantile(0.50)))
                .member("p95", millis(latency.quantile(0.95)))
                .member("p99", millis(latency.quantile(0.99)));
    }

    /** @return the reading's pairs added up by route or by cluster */
    private static Map<String, PairCounts> group(DashboardReading reading, Function<Pair, String> by) {
        Map<String, PairCounts> groups = new TreeMap<>();
        reading.pairs().forEach((pair, counts) -> groups.merge(by.apply(pair), counts, DashboardJson::sum));
        return groups;
    }

    private static PairCounts total(DashboardReading reading) {
        PairCounts sum = PairCounts.ZERO;
        for (PairCounts counts : reading.pairs().values()) {
            sum = sum(sum, counts);
        }
        return sum;
    }

    private static PairCounts sum(PairCounts a, PairCounts b) {
        long[] classes = new long[DashboardReading.STATUS_CLASSES.size()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = a.count(i) + b.count(i);
        }
        return new PairCounts(classes, a.latency().plus(b.latency()));
    }

    private static double rate(long count, double seconds) {
        return seconds <= 0 ? 0 : Math.max(0, count) / seconds;
    }

    private static double share(double part, double whole) {
        return whole <= 0 ? Double.NaN : 100.0 * part / whole;
    }

    private static double millis(OptionalDouble seconds) {
        return seconds.isPresent() ? seconds.getAsDouble() * 1000 : Double.NaN;
    }
}
