package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Exchange;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Smooth weighted round robin (nginx's algorithm): over every period of {@code sum(weights)}
 * picks each endpoint exactly {@code weight} times, interleaved rather than in bursts (weights
 * 5/1/1 give a a b a c a a, not a a a a a b c). The sequence of one period is computed once per
 * set of available endpoints, so a pick is one atomic increment: no lock on the request path.
 */
final class SmoothWeightedRoundRobin implements Picker {

    private record Schedule(long signature, int[] sequence) {
    }

    private final AtomicReference<Schedule> schedule = new AtomicReference<>(new Schedule(0, new int[0]));
    private final AtomicLong next = new AtomicLong();

    @Override
    public Endpoint pick(List<Endpoint> candidates, Exchange exchange) {
        long signature = signature(candidates);
        Schedule current = schedule.get();
        if (current.signature() != signature || current.sequence().length == 0) {
            current = new Schedule(signature, sequence(candidates));
            schedule.set(current);
        }
        int[] sequence = current.sequence();
        int position = sequence[(int) Math.floorMod(next.getAndIncrement(), (long) sequence.length)];
        return candidates.get(Math.min(position, candidates.size() - 1));
    }

    /** The positions (in {@code candidates}) of one period, by nginx's smooth weighted algorithm. */
    static int[] sequence(List<Endpoint> candidates) {
        int n = candidates.size();
        int[] weights = new int[n];
        int divisor = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = candidates.get(i).weight();
            divisor = gcd(divisor, weights[i]);
        }
        int total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] /= divisor;
            total += weights[i];
        }
        int[] sequence = new int[total];
        long[] current = new long[n];
        for (int step = 0; step < total; step++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            sequence[step] = best;
        }
        return sequence;
    }

    private static long signature(List<Endpoint> candidates) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < candidates.size(); i++) {
            h = (h ^ candidates.get(i).index()) * 0x100000001b3L;
        }
        return h ^ candidates.size();
    }

    private static int gcd(int a, int b) {
        return b == 0 ? Math.max(a, 1) : gcd(b, a % b);
    }
}
