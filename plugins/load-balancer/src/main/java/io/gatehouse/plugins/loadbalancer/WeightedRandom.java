package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Exchange;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Picks at random, in proportion to the weights. */
final class WeightedRandom implements Picker {

    @Override
    public Endpoint pick(List<Endpoint> candidates, Exchange exchange) {
        return pick(candidates);
    }

    static Endpoint pick(List<Endpoint> candidates) {
        int total = 0;
        for (int i = 0; i < candidates.size(); i++) {
            total += candidates.get(i).weight();
        }
        int r = ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < candidates.size(); i++) {
            r -= candidates.get(i).weight();
            if (r < 0) {
                return candidates.get(i);
            }
        }
        return candidates.get(candidates.size() - 1);
    }
}
