package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Exchange;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A hash ring (Ketama-style): each endpoint owns {@code POINTS_PER_WEIGHT × weight} points on a
 * 64-bit circle, and a key goes to the owner of the first point at or after its hash. Adding or
 * removing one of N endpoints moves only the keys of its own points, about 1/N of them. A key
 * whose endpoint is unavailable walks on to the next available owner, and comes back when it
 * recovers. Requests without the key are balanced at random.
 */
final class ConsistentHash implements Picker {

    static final int POINTS_PER_WEIGHT = 160;

    private final HashKey key;
    private final long[] points;
    private final int[] owners;

    ConsistentHash(List<Endpoint> endpoints, HashKey key) {
        this.key = key;
        int total = 0;
        for (Endpoint e : endpoints) {
            total += POINTS_PER_WEIGHT * e.weight();
        }
        long[][] pairs = new long[total][];
        int p = 0;
        for (Endpoint e : endpoints) {
            for (int i = 0; i < POINTS_PER_WEIGHT * e.weight(); i++) {
                pairs[p++] = new long[]{hash(e.upstream().toString() + "#" + i), e.index()};
            }
        }
        Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        points = new long[total];
        owners = new int[total];
        for (int i = 0; i < total; i++) {
            points[i] = pairs[i][0];
            owners[i] = (int) pairs[i][1];
        }
    }

    @Override
    public Endpoint pick(List<Endpoint> candidates, Exchange exchange) {
        Optional<String> value = key.of(exchange);
        if (value.isEmpty()) {
            return WeightedRandom.pick(candidates);
        }
        return pick(candidates, value.get());
    }

    Endpoint pick(List<Endpoint> candidates, String value) {
        Endpoint[] byIndex = new Endpoint[owners.length == 0 ? 0 : maxIndex(candidates) + 1];
        for (Endpoint e : candidates) {
            byIndex[e.index()] = e;
        }
        int start = Arrays.binarySearch(points, hash(value));
        if (start < 0) {
            start = -start - 1;
        }
        for (int step = 0; step < points.length; step++) {
            int owner = owners[(start + step) % points.length];
            if (owner < byIndex.length && byIndex[owner] != null) {
                return byIndex[owner];
            }
        }
        return candidates.get(0);
    }

    private static int maxIndex(List<Endpoint> candidates) {
        int max = 0;
        for (Endpoint e : candidates) {
            max = Math.max(max, e.index());
        }
        return max;
    }

    /** 64-bit FNV-1a over UTF-8, finished with the SplitMix64 mixer for an even spread. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
