package io.gatehouse.plugins.auth;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one auth filter's decisions, for {@code /status}. Thread-safe. */
final class AuthStats {

    private final LongAdder allowed = new LongAdder();
    private final LongAdder forbidden = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

    void allowed() {
        allowed.increment();
    }

    void forbidden() {
        forbidden.increment();
    }

    /** @param reason the rejection's code */
    void refused(String reason) {
        refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** @return the counts, one line */
    String line() {
        Map<String, Long> sorted = new TreeMap<>();
        refused.forEach((reason, count) -> sorted.put(reason, count.sum()));
        long total = sorted.values().stream().mapToLong(Long::longValue).sum();
        return "allowed " + allowed.sum() + ", refused " + total + (sorted.isEmpty() ? "" : " " + sorted)
                + ", forbidden " + forbidden.sum() + "\n";
    }
}
