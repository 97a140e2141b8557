package io.gatehouse.plugins.ipfilter;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.Response;
import io.gatehouse.api.metrics.FilterMetrics;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/** One {@code ip-filter} entry: the rules in force, swapped whole when a list file changes. */
final class IpFilter implements ProxyFilter {

    private final AtomicReference<Rules> rules;
    private final CompletionStage<FilterResult> forbidden;
    private final FilterMetrics.Counter denied;
    private final List<WatchedListFile> files = new ArrayList<>();

    IpFilter(IpFilterConfig config, FilterContext context) {
        this.rules = new AtomicReference<>(config.initial());
        this.forbidden = FilterResult.respond(Response.text(403, config.body()));
        this.denied = context.metrics().counter("denied");
        watch(config.allow(), context.instanceName() + " allow list", context, config, Rules::withAllow);
        watch(config.deny(), context.instanceName() + " deny list", context, config, Rules::withDeny);
    }

    private void watch(AddressList list, String name, FilterContext context, IpFilterConfig config,
                       BiFunction<Rules, AddressSet, Rules> replace) {
        if (list.file().isEmpty()) {
            return;
        }
        files.add(new WatchedListFile(name, list, config.watchInterval(),
                next -> rules.updateAndGet(current -> replace.apply(current, next)),
                context.scheduler(), context.blockingExecutor()));
    }

    @Override
    public CompletionStage<FilterResult> onRequest(Exchange exchange) {
        if (rules.get().permits(exchange.clientIp())) {
            return FilterResult.proceed();
        }
        denied.increment();
        return forbidden;
    }

    @Override
    public List<String> explain(Exchange exchange) {
        InetAddress client = exchange.clientIp();
        Rules now = rules.get();
        if (now.permits(client)) {
            return List.of("client " + client.getHostAddress() + " passes: " + now.reason(client));
        }
        exchange.setAttribute(Keys.EXPLAINED_ANSWER, 403);
        return List.of("client " + client.getHostAddress() + " is refused with 403: " + now.reason(client));
    }

    @Override
    public Optional<String> status() {
        Rules now = rules.get();
        StringBuilder text = new StringBuilder();
        text.append("allow list: ").append(now.allowListed() ? now.allow().toString() : "none (all pass unless denied)").append('\n');
        text.append("deny list: ").append(now.deny()).append('\n');
        for (WatchedListFile file : files) {
            text.append("watching ").append(file.file());
            file.refused().ifPresent(reason -> text.append(", last change refused: ").append(reason));
            text.append('\n');
        }
        return Optional.of(text.toString().strip());
    }

    @Override
    public void close() {
        files.forEach(WatchedListFile::close);
    }
}
