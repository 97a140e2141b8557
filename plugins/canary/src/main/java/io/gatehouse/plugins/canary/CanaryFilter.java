package io.gatehouse.plugins.canary;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Key;
import io.gatehouse.api.Keys;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.http.SetCookie;
import io.gatehouse.api.metrics.FilterMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Assigns each request of a split's cluster (or route) to one of its targets and rewrites the
 * exchange's cluster accordingly; marks the response; mirrors and rolls back as configured. With
 * {@code watch}, a changed file replaces the splits atomically: a request sees either the old or
 * the new weights, never a mix, and none is dropped (a blue-green flip is a weight change).
 */
final class CanaryFilter implements ProxyFilter {

    private static final Logger LOG = LoggerFactory.getLogger(CanaryFilter.class);

    private record Assigned(SplitState state, SplitState.Assignment assignment) {
    }

    private static final Key<Assigned> ASSIGNED = Key.of("canary.assigned", Assigned.class);

    private final AtomicReference<List<SplitState>> splits;
    private final Mirror mirror;
    private final Consumer<List<Split>> reloadCheck;
    private final Optional<ScheduledFuture<?>> watcher;
    private volatile FileTime seen;
    /** The watched file's last change refused, for /status; empty when the last change was applied. */
    private volatile Optional<String> refusedChange = Optional.empty();

    CanaryFilter(CanaryConfig config, ScheduledExecutorService scheduler, Mirror mirror) {
        this(config, scheduler, mirror, splits -> { }, FilterMetrics.none());
    }

    /**
     * @param reloadCheck checks splits re-read from the watched file against the chain's names
     *     (throws {@link ConfigException} to refuse them)
     * @param metrics where each target of the configured splits is published, tagged {@code split} and
     *     {@code cluster}: its current weight ({@code canary.weight}, 0 after a rollback) and the requests sent to
     *     it ({@code canary.served}); read when the meters are, nothing on the request path
     */
    CanaryFilter(CanaryConfig config, ScheduledExecutorService scheduler, Mirror mirror, Consumer<List<Split>> reloadCheck,
                 FilterMetrics metrics) {
        this.mirror = mirror;
        this.reloadCheck = reloadCheck;
        this.splits = new AtomicReference<>(states(config.splits()));
        this.watcher = config.watch().map(file -> {
            seen = modified(file);
            long period = config.watchInterval().toMillis();
            return scheduler.scheduleWithFixedDelay(() -> reloadIfChanged(file), period, period, TimeUnit.MILLISECONDS);
        });
        publish(metrics);
    }

    /** Gauges of the splits as configured at start; each reads the current splits (a watched file may replace them). */
    private void publish(FilterMetrics metrics) {
        for (SplitState state : splits.get()) {
            String name = state.split().name();
            for (Split.Target target : state.split().targets()) {
                String[] tags = {"split", name, "cluster", target.cluster()};
                metrics.gauge("canary.weight", () -> current(name, target.cluster(), SplitState::weightOf), tags);
                metrics.gauge("canary.served", () -> current(name, target.cluster(), SplitState::servedTo), tags);
            }
        }
    }

    /** @return what {@code read} gives for the target of the current split {@code split} that sends to {@code cluster}; 0 when none does now */
    private double current(String split, String cluster, TargetValue read) {
        for (SplitState state : splits.get()) {
            if (state.split().name().equals(split)) {
                List<Split.Target> targets = state.split().targets();
                for (int i = 0; i < targets.size(); i++) {
                    if (targets.get(i).cluster().equals(cluster)) {
                        return read.of(state, i);
                    }
                }
            }
        }
        return 0;
    }

    /** A value of one target of a split. */
    private interface TargetValue {
        double of(SplitState state, int target);
    }

    private static List<SplitState> states(List<Split> splits) {
        return splits.stream().map(SplitState::new).toList();
    }

    /** Re-reads the watched file when it changed; a bad file is logged and the current splits stay. */
    void reloadIfChanged(Path file) {
        FileTime now = modified(file);
        if (now == null || now.equals(seen)) {
            return;
        }
        seen = now;
        try {
            List<Split> next = SplitFile.read(file);
            reloadCheck.accept(next);
            splits.set(states(next));
            refusedChange = Optional.empty();
            LOG.info("Canary splits reloaded from {}: {}", file, next.stream()
                    .map(s -> s.name() + " " + s.targets().stream().map(t -> t.cluster() + "=" + t.weight()).toList()).toList());
        } catch (ConfigException e) {
            refusedChange = Optional.of(e.getMessage());
            LOG.error("Canary splits in {} not reloaded, the current ones stay: {}", file, e.getMessage());
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        for (SplitState state : splits.get()) {
            if (state.applies(exchange)) {
                SplitState.Assignment assignment = state.assign(exchange);
                state.served(assignment);
                String cluster = state.split().targets().get(assignment.target()).cluster();
                exchange.setCluster(cluster);
                exchange.setAttribute(Keys.CANARY_SIDE, cluster); // later filters and logs can read it
                exchange.setAttribute(ASSIGNED, new Assigned(state, assignment));
                LOG.debug("Exchange {}: split {} -> {} (by {})", exchange.id(), state.split().name(), cluster, assignment.reason());
                state.split().mirror().ifPresent(m -> mirror.maybeMirror(exchange, state.split(), m));
                break;
            }
        }
        return FilterResult.proceed();
    }

    @Override
    public CompletionStage<FilterResult> onResponse(Exchange exchange) {
        Optional<Assigned> found = exchange.attribute(ASSIGNED);
        Optional<ResponseHead> response = exchange.response();
        if (found.isEmpty() || response.isEmpty()) {
            return FilterResult.proceed();
        }
        Split split = found.get().state().split();
        String cluster = split.targets().get(found.get().assignment().target()).cluster();
        split.responseHeader().ifPresent(header -> response.get().headers().set(header, cluster));
        if (found.get().assignment().setCookie()) {
            response.get().headers().add(SetCookie.HEADER, split.stickyCookie().orElseThrow().withValue(cluster).headerValue());
        }
        return FilterResult.proceed();
    }

    @Override
    public void onComplete(Exchange exchange, Outcome outcome) {
        exchange.attribute(ASSIGNED).ifPresent(assigned ->
                assigned.state().recordOutcome(assigned.assignment(), outcome, System.currentTimeMillis()));
    }

    @Override
    public List<String> explain(Exchange exchange) {
        for (SplitState state : splits.get()) {
            if (state.applies(exchange)) {
                SplitState.Assignment assignment = state.assign(exchange);
                String cluster = state.split().targets().get(assignment.target()).cluster();
                exchange.setCluster(cluster);
                return List.of("split " + state.split().name() + ": " + cluster + " (by " + assignment.reason()
                        + (assignment.reason().equals("weight") ? ", one random draw" : "") + ")");
            }
        }
        return List.of("no split applies to cluster " + exchange.cluster().orElse("(none)") + " or route " + exchange.route().orElse("(none)"));
    }

    @Override
    public Optional<String> status() {
        StringBuilder text = new StringBuilder();
        for (SplitState state : splits.get()) {
            text.append(state.status());
        }
        refusedChange.ifPresent(reason -> text.append("watched file: last change refused, the splits above stay: ").append(reason)
                .append('\n'));
        if (splits.get().stream().anyMatch(state -> state.split().mirror().isPresent())) {
            text.append(mirror.status()); // no mirror counters for splits that mirror nothing
        }
        return Optional.of(text.toString());
    }

    /** @return the current splits, for tests */
    List<SplitState> splits() {
        return splits.get();
    }

    @Override
    public void close() {
        watcher.ifPresent(w -> w.cancel(false));
    }
}
