package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Exchange;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToDoubleFunction;

/**
 * Picks two distinct endpoints at random and sends the request to the cheaper one: the
 * "power of two choices", which avoids herding onto one endpoint while staying O(1).
 * {@code least-request} costs an endpoint its requests in flight divided by its weight;
 * {@code peak-ewma} multiplies that by its peak-EWMA latency, so a slow endpoint soon gets
 * little traffic and a recovered one wins it back.
 */
final class PowerOfTwoChoices implements Picker {

    /** Latency assumed for an endpoint with no measurement yet: it is tried, not starved. */
    static final double UNMEASURED_NANOS = 1_000_000;

    private final ToDoubleFunction<Endpoint> cost;

    private PowerOfTwoChoices(ToDoubleFunction<Endpoint> cost) {
        this.cost = cost;
    }

    static PowerOfTwoChoices leastRequest() {
        return new PowerOfTwoChoices(e -> (e.inFlight() + 1.0) / e.weight());
    }

    static PowerOfTwoChoices peakEwma() {
        return new PowerOfTwoChoices(e -> {
            double latency = e.latencyNanos();
            return (latency > 0 ? latency : UNMEASURED_NANOS) * (e.inFlight() + 1.0) / e.weight();
        });
    }

    @Override
    public Endpoint pick(List<Endpoint> candidates, Exchange exchange) {
        int n = candidates.size();
        if (n == 1) {
            return candidates.get(0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(n);
        int b = random.nextInt(n - 1);
        if (b >= a) {
            b++;
        }
        Endpoint first = candidates.get(a);
        Endpoint second = candidates.get(b);
        return cost.applyAsDouble(second) < cost.applyAsDouble(first) ? second : first;
    }
}
