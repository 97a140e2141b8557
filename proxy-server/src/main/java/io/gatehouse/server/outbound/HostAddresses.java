package io.gatehouse.server.outbound;

import io.gatehouse.server.chain.PluginThreads;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.core5.net.InetAddressUtils;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Name resolution for the outbound client, kept off every I/O thread. httpclient5 resolves a host
 * on whichever thread opens the connection (the caller's, or one of its own I/O threads), and the
 * system resolver may block for seconds; so a call to a host name is first resolved here, on two
 * threads of its own ({@code gatehouse-dns-N}), and the addresses are kept for
 * {@link #TIME_TO_LIVE}. The client's {@link DnsResolver} then reads them from here. IP literals
 * need no resolution.
 */
final class HostAddresses implements DnsResolver, AutoCloseable {

    /** How long resolved addresses are used: the JDK's own positive cache time. */
    static final Duration TIME_TO_LIVE = Duration.ofSeconds(30);
    /** Hosts kept at most; past it the table starts over (a gateway calls few distinct hosts). */
    static final int MAX_HOSTS = 1024;

    /** The blocking lookup: the system resolver in production, a stand-in in tests. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    private record Resolved(InetAddress[] addresses, long expiresAtNanos) {
    }

    private final Lookup lookup;
    private final LongSupplier nanoClock;
    private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor resolvers = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256), PluginThreads.daemonThreads("gatehouse-dns"));

    HostAddresses(Lookup lookup, LongSupplier nanoClock) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        resolvers.allowCoreThreadTimeOut(true);
    }

    /** The system resolver on the system clock. */
    static HostAddresses system() {
        return new HostAddresses(InetAddress::getAllByName, System::nanoTime);
    }

    /** @return true when a connection to {@code host} can be opened without a lookup that may block */
    boolean isReady(String host) {
        return InetAddressUtils.isIPv4Address(host) || InetAddressUtils.isIPv6(stripBrackets(host)) || fresh(host).isPresent();
    }

    /**
     * Resolves {@code host} on the resolver threads. The stage completes normally also when the
     * name does not resolve: the connection attempt then fails with the resolver's own error.
     */
    CompletionStage<Void> resolveAhead(String host) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            resolvers.execute(() -> {
                try {
                    remember(host, lookup.addresses(host));
                } catch (UnknownHostException | RuntimeException e) {
                    // not remembered: the connection attempt reports it
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            done.complete(null); // a flood of lookups, or closed: the connection attempt resolves (or fails) itself
        }
        return done;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        Optional<Resolved> known = fresh(host);
        if (known.isPresent()) {
            return known.get().addresses().clone();
        }
        InetAddress[] addresses = lookup.addresses(host);
        remember(host, addresses);
        return addresses.clone();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    private Optional<Resolved> fresh(String host) {
        Resolved known = resolved.get(host);
        return known != null && known.expiresAtNanos() - nanoClock.getAsLong() > 0 ? Optional.of(known) : Optional.empty();
    }

    private void remember(String host, InetAddress[] addresses) {
        if (resolved.size() >= MAX_HOSTS) {
            resolved.clear();
        }
        resolved.put(host, new Resolved(addresses.clone(), nanoClock.getAsLong() + TIME_TO_LIVE.toNanos()));
    }

    private static String stripBrackets(String host) {
        return host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']'
                ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public void close() {
        resolvers.shutdownNow();
    }
}
