package io.gatehouse.plugins.canary;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.http.Cookies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32C;

/**
 * A split at run time: its current weights (the canaries drop to 0 on rollback), the assignment
 * of each request, and the error window that drives the rollback. Thread-safe.
 */
final class SplitState {

    private static final Logger LOG = LoggerFactory.getLogger(SplitState.class);
    static final String OVERRIDE = "override";

    /**
     * How one request was assigned.
     *
     * @param target index into the split's targets
     * @param reason {@code override}, {@code sticky}, {@code hash} or {@code weight}
     * @param setCookie whether the response should set the sticky cookie
     */
    record Assignment(int target, String reason, boolean setCookie) {

        /** @return whether the client forced the side with an override */
        boolean forced() {
            return reason.equals(OVERRIDE);
        }
    }

    private final Split split;
    private volatile int[] weights;
    private volatile boolean rolledBack;
    private final AtomicLongArray served;
    private final Optional<RollbackWindow> window;

    SplitState(Split split) {
        this.split = split;
        this.weights = split.targets().stream().mapToInt(Split.Target::weight).toArray();
        this.served = new AtomicLongArray(split.targets().size());
        this.window = split.rollback().map(RollbackWindow::new);
    }

    Split split() {
        return split;
    }

    /** @return whether this split takes the exchange (by its cluster or route) */
    boolean applies(Exchange exchange) {
        return split.fromCluster().map(c -> exchange.cluster().map(c::equals).orElse(false)).orElse(false)
                || split.fromRoute().map(r -> exchange.route().map(r::equals).orElse(false)).orElse(false);
    }

    /**
     * Chooses the request's side: override, then sticky cookie, then hash, then weights. After a
     * rollback an override reaches only the stable side, unless {@code override.after-rollback}.
     * Counts nothing: {@link #served} does, for requests that are really sent (not for explain).
     */
    Assignment assign(Exchange exchange) {
        Optional<Integer> forced = split.overrideHeader().flatMap(h -> exchange.request().headers().first(h)).flatMap(this::targetNamed)
                .or(() -> split.overrideCookie().flatMap(c -> Cookies.get(exchange.request().headers(), c)).flatMap(this::targetNamed))
                .filter(target -> target == 0 || !rolledBack || split.overrideAfterRollback());
        if (forced.isPresent()) {
            return new Assignment(forced.get(), OVERRIDE, false);
        }
        int[] current = weights;
        if (split.stickyCookie().isPresent()) {
            Optional<Integer> kept = Cookies.get(exchange.request().headers(), split.stickyCookie().get().name())
                    .flatMap(this::clusterIndex).filter(i -> current[i] > 0);
            if (kept.isPresent()) {
                return new Assignment(kept.get(), "sticky", false);
            }
        }
        int total = 0;
        for (int w : current) {
            total += w;
        }
        if (split.stickyHash().isPresent()) {
            Optional<String> key = split.stickyHash().get().of(exchange);
            if (key.isPresent()) {
                return new Assignment(byPoint(current, Math.floorMod(hash(key.get()), total)), "hash", false);
            }
        }
        return new Assignment(byPoint(current, ThreadLocalRandom.current().nextInt(total)), "weight",
                split.stickyCookie().isPresent());
    }

    /** Counts a request sent to the side {@code assignment} chose. */
    void served(Assignment assignment) {
        served.incrementAndGet(assignment.target());
    }

    /** @return the target whose cumulative weight range holds {@code point} */
    static int byPoint(int[] weights, long point) {
        long acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            if (point < acc) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** A stable hash (CRC-32C): the same key gets the same side across restarts and instances. */
    static long hash(String key) {
        CRC32C crc = new CRC32C();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private Optional<Integer> targetNamed(String value) {
        if (value.equals("never")) {
            return Optional.of(0);
        }
        if (value.equals("always")) {
            return Optional.of(split.targets().size() > 1 ? 1 : 0);
        }
        return clusterIndex(value);
    }

    private Optional<Integer> clusterIndex(String cluster) {
        List<Split.Target> targets = split.targets();
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).cluster().equals(cluster)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------ automatic rollback

    /**
     * Counts a finished request of a canary target towards the rollback, as {@link RollbackJudge}
     * judges it; requests an override forced there are counted apart and never judged (a client
     * must not be able to hide a broken canary behind healthy forced requests). Rolls the
     * canaries back when the failures among the judged requests in the window pass the threshold.
     */
    void recordOutcome(Assignment assignment, Outcome outcome, long nowMillis) {
        if (assignment.target() == 0 || window.isEmpty() || rolledBack) {
            return;
        }
        RollbackWindow errors = window.get();
        if (assignment.forced()) {
            errors.overridden();
            return;
        }
        RollbackJudge.Verdict verdict = RollbackJudge.judge(outcome);
        if (verdict == RollbackJudge.Verdict.NOT_JUDGED) {
            errors.notJudged();
            return;
        }
        errors.record(verdict == RollbackJudge.Verdict.FAILURE, nowMillis).ifPresent(this::rollBack);
    }

    private synchronized void rollBack(RollbackWindow.Tally tally) {
        if (rolledBack) {
            return;
        }
        int[] next = new int[weights.length];
        next[0] = 1;
        weights = next;
        rolledBack = true;
        LOG.warn("Split {}: canary rolled back, weight 0: {} of its last {} judged requests failed (over {}%)", split.name(),
                tally.errors(), tally.requests(), split.rollback().orElseThrow().maxErrorPercent());
    }

    /** @return the current weight of target {@code target} (0 for the canaries after a rollback) */
    int weightOf(int target) {
        return weights[target];
    }

    /** @return the requests sent to target {@code target} so far */
    long servedTo(int target) {
        return served.get(target);
    }

    boolean rolledBack() {
        return rolledBack;
    }

    /** @return a line per target for {@code /status} */
    String status() {
        StringBuilder text = new StringBuilder("split ").append(split.name()).append(rolledBack ? " (rolled back)" : "").append('\n');
        int[] current = weights;
        for (int i = 0; i < current.length; i++) {
            text.append("  ").append(split.targets().get(i).cluster()).append(" weight ").append(current[i])
                    .append(" served ").append(served.get(i)).append('\n');
        }
        window.ifPresent(w -> text.append(w.status(System.currentTimeMillis())));
        return text.toString();
    }
}
