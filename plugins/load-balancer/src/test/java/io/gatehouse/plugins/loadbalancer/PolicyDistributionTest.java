package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Upstream;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** How each policy spreads requests, over 10,000 picks. */
class PolicyDistributionTest {

    private static List<Endpoint> endpoints(int... weights) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            list.add(new Endpoint(new Upstream("http", "10.0.0." + (i + 1), 8080), weights[i], i));
        }
        return list;
    }

    @Test
    void weightedRoundRobinFollowsTheWeightsWithin1Percent() {
        List<Endpoint> endpoints = endpoints(5, 3, 2, 1);
        SmoothWeightedRoundRobin picker = new SmoothWeightedRoundRobin();
        int[] counts = new int[4];
        for (int i = 0; i < 10_000; i++) {
            counts[picker.pick(endpoints, TestExchange.get("/")).index()]++;
        }
        assertThat(counts[0] / 10_000.0).isCloseTo(5 / 11.0, within(0.01));
        assertThat(counts[1] / 10_000.0).isCloseTo(3 / 11.0, within(0.01));
        assertThat(counts[2] / 10_000.0).isCloseTo(2 / 11.0, within(0.01));
        assertThat(counts[3] / 10_000.0).isCloseTo(1 / 11.0, within(0.01));
    }

    @Test
    void weightedRoundRobinInterleavesRatherThanBursts() {
        int[] sequence = SmoothWeightedRoundRobin.sequence(endpoints(5, 1, 1));
        assertThat(sequence).containsExactly(0, 0, 1, 0, 2, 0, 0); // nginx: a a b a c a a
    }

    @Test
    void weightedRoundRobinSkipsWhatIsUnavailableAndComesBack() {
        List<Endpoint> all = endpoints(1, 1, 1);
        SmoothWeightedRoundRobin picker = new SmoothWeightedRoundRobin();
        List<Endpoint> twoLeft = List.of(all.get(0), all.get(2));
        for (int i = 0; i < 10; i++) {
            assertThat(picker.pick(twoLeft, TestExchange.get("/")).index()).isNotEqualTo(1);
        }
        Map<Integer, Long> back = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            back.merge(picker.pick(all, TestExchange.get("/")).index(), 1L, Long::sum);
        }
        assertThat(back).containsEntry(0, 100L).containsEntry(1, 100L).containsEntry(2, 100L);
    }

    @Test
    void weightedRandomFollowsTheWeights() {
        List<Endpoint> endpoints = endpoints(3, 1);
        int first = 0;
        for (int i = 0; i < 10_000; i++) {
            if (new WeightedRandom().pick(endpoints, TestExchange.get("/")).index() == 0) {
                first++;
            }
        }
        assertThat(first / 10_000.0).isCloseTo(0.75, within(0.03));
    }

    /**
     * A discrete-event run of 10,000 requests, one every 2 ms, over three endpoints that answer in
     * 10 ms, except one that takes 50 ms more: the share the slow one gets.
     */
    private static double slowShare(Picker picker, boolean measureLatency) {
        List<Endpoint> endpoints = endpoints(1, 1, 1);
        long[] latencyMs = {10, 10, 60};
        record Completion(long atMs, Endpoint endpoint) {
        }
        PriorityQueue<Completion> running = new PriorityQueue<>((a, b) -> Long.compare(a.atMs(), b.atMs()));
        int slow = 0;
        for (int i = 0; i < 10_000; i++) {
            long now = i * 2L;
            while (!running.isEmpty() && running.peek().atMs() <= now) {
                Completion done = running.poll();
                done.endpoint().requestEnded();
                if (measureLatency) {
                    done.endpoint().recordLatency(latencyMs[done.endpoint().index()] * 1_000_000, done.atMs() * 1_000_000,
                            Cluster.EWMA_DECAY_NANOS);
                }
            }
            Endpoint chosen = picker.pick(endpoints, TestExchange.get("/"));
            chosen.requestStarted();
            running.add(new Completion(now + latencyMs[chosen.index()], chosen));
            if (chosen.index() == 2) {
                slow++;
            }
        }
        return slow / 10_000.0;
    }

    @Test
    void leastRequestShiftsLoadAwayFromASlowEndpoint() {
        assertThat(slowShare(PowerOfTwoChoices.leastRequest(), false)).isLessThan(0.15);
    }

    @Test
    void peakEwmaShiftsLoadAwayFromASlowEndpoint() {
        assertThat(slowShare(PowerOfTwoChoices.peakEwma(), true)).isLessThan(0.15);
    }

    @Test
    void roundRobinDoesNotForComparison() {
        assertThat(slowShare(new SmoothWeightedRoundRobin(), false)).isCloseTo(1 / 3.0, within(0.01));
    }

    private static Map<String, Integer> assign(ConsistentHash ring, List<Endpoint> candidates, int keys) {
        Map<String, Integer> owner = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            owner.put("user-" + k, ring.pick(candidates, "user-" + k).index());
        }
        return owner;
    }

    @Test
    void consistentHashKeepsKeysAndMovesAboutOneNthOnChange() {
        List<Endpoint> five = endpoints(1, 1, 1, 1, 1);
        ConsistentHash ring = new ConsistentHash(five, HashKey.parse("header:X-User"));
        Map<String, Integer> before = assign(ring, five, 10_000);
        assertThat(assign(ring, five, 10_000)).as("stable").isEqualTo(before);

        Map<Integer, Long> spread = before.values().stream().collect(Collectors.groupingBy(i -> i, Collectors.counting()));
        assertThat(spread.values()).allSatisfy(n -> assertThat(n / 10_000.0).isCloseTo(0.2, within(0.05)));

        // One endpoint goes away: only its keys move.
        List<Endpoint> four = new ArrayList<>(five);
        four.remove(2);
        Map<String, Integer> after = assign(ring, four, 10_000);
        long moved = before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).count();
        assertThat(before.keySet().stream().filter(k -> before.get(k) != 2).allMatch(k -> before.get(k).equals(after.get(k)))).isTrue();
        assertThat(moved / 10_000.0).isCloseTo(0.2, within(0.05));

        // A sixth endpoint joins: about 1/6 of the keys move to it, and only to it.
        List<Endpoint> six = endpoints(1, 1, 1, 1, 1, 1);
        Map<String, Integer> grown = assign(new ConsistentHash(six, HashKey.parse("header:X-User")), six, 10_000);
        long toNew = grown.values().stream().filter(i -> i == 5).count();
        long movedElsewhere = before.keySet().stream().filter(k -> grown.get(k) != 5 && !before.get(k).equals(grown.get(k))).count();
        assertThat(toNew / 10_000.0).isCloseTo(1 / 6.0, within(0.05));
        assertThat(movedElsewhere).isZero();
    }

    @Test
    void consistentHashUsesTheConfiguredKeyOfTheRequest() {
        List<Endpoint> three = endpoints(1, 1, 1);
        ConsistentHash ring = new ConsistentHash(three, HashKey.parse("cookie:session"));
        Endpoint first = ring.pick(three, TestExchange.get("/").header("Cookie", "a=1; session=abc"));
        for (int i = 0; i < 20; i++) {
            assertThat(ring.pick(three, TestExchange.get("/x" + i).header("Cookie", "session=abc"))).isSameAs(first);
        }
    }
}
