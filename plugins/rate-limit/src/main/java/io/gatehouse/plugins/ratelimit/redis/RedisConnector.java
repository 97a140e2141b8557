package io.gatehouse.plugins.ratelimit.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce connection to Redis (standalone, Sentinel-managed or a cluster), opened in the
 * background: until the first connection succeeds, {@link #commands()} is empty and decisions
 * take the failure policy; a failed attempt is retried every second. Once connected, Lettuce
 * reconnects by itself, and commands sent while it is disconnected fail at once (they are never
 * queued for later), as do commands beyond a bounded queue. Lettuce's own threads (two I/O, two
 * computation) serve only this connection.
 */
final class RedisConnector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int QUEUE = 10_000;

    static {
        // Lettuce's JFR events look their classes up by name through the context class loader, which under PF4J can
        // find another copy (argument type mismatch) or none: off, unless the operator decided otherwise.
        if (System.getProperty("io.lettuce.core.jfr") == null) {
            System.setProperty("io.lettuce.core.jfr", "false");
        }
    }

    /** The open connection and its command interface. */
    private record Link(StatefulConnection<String, String> connection, RedisScriptingAsyncCommands<String, String> commands) {
    }

    private final RedisSettings settings;
    private final RateLimitScript script;
    private final ScheduledExecutorService timer;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final FailureLog failures;
    private volatile Link link;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> retry;

    /**
     * @param settings where Redis is and how to reach it
     * @param timer for the retries of the first connection
     * @param name the filter instance, for log lines
     */
    RedisConnector(RedisSettings settings, RateLimitScript script, ScheduledExecutorService timer, String name) {
        this.settings = settings;
        this.script = script;
        this.timer = timer;
        this.failures = new FailureLog(LOG, name + ": cannot connect to Redis " + describe(settings) + " (retrying every second)");
        this.resources = inPluginClassLoader(() ->
                DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build());
        SocketOptions socket = SocketOptions.builder().connectTimeout(settings.connectTimeout()).keepAlive(true).tcpNoDelay(true).build();
        // Lettuce's own command timeout is only a backstop for commands this plugin gave up on long before.
        TimeoutOptions timeouts = TimeoutOptions.builder().fixedTimeout(Duration.ofSeconds(2)).build();
        if (settings.cluster()) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, settings.uris().stream().map(RedisURI::create).toList());
            cluster.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(QUEUE)
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    // Follows failovers and resharding: refreshed on MOVED/ASK, reconnects and unknown nodes, and every minute.
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.enabled())
                    .build());
            this.client = cluster;
        } else {
            RedisClient single = RedisClient.create(resources);
            single.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(QUEUE)
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .build());
            this.client = single;
        }
    }

    /** @return the URIs without credentials, for messages */
    static String describe(RedisSettings settings) {
        List<String> shown = settings.uris().stream().map(uri -> RedisURI.create(uri).toString()).toList();
        return (settings.cluster() ? "cluster " : "") + String.join(", ", shown);
    }

    /** Starts connecting in the background. */
    void start() {
        attempt();
    }

    private void attempt() {
        if (closed) {
            return;
        }
        connect().thenCompose(connection -> {
            RedisScriptingAsyncCommands<String, String> commands = commandsOf(connection);
            // Load the script (on every node of a cluster) and run it once with no keys, so that the first decisions
            // need neither a second round trip for NOSCRIPT nor Lettuce's cold code paths.
            return commands.scriptLoad(script.source())
                    .thenCompose(sha -> commands.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, new String[0],
                            RateLimitScript.arguments(RateLimitScript.ACQUIRE, 0, 1, List.of())))
                    .handle((ready, error) -> {
                        if (error != null) {
                            connection.closeAsync();
                            throw new CompletionException(error);
                        }
                        return new Link(connection, commands);
                    });
        }).whenComplete((ready, error) -> {
            if (error != null) {
                failures.failed(reason(error));
                scheduleRetry();
            } else if (closed) {
                ready.connection().closeAsync();
            } else {
                link = ready;
                LOG.info("Connected to Redis {}", describe(settings));
            }
        });
    }

    private CompletableFuture<StatefulConnection<String, String>> connect() {
        return inPluginClassLoader(this::connectNow);
    }

    private CompletableFuture<StatefulConnection<String, String>> connectNow() {
        try {
            if (client instanceof RedisClusterClient cluster) {
                // Lettuce 7.7's connectAsync fails ("Partitions not initialized") unless the topology was loaded first.
                return cluster.refreshPartitionsAsync().toCompletableFuture()
                        .thenCompose(loaded -> cluster.connectAsync(StringCodec.UTF8))
                        .thenApply(c -> (StatefulConnection<String, String>) c);
            }
            RedisURI uri = RedisURI.create(settings.uris().get(0));
            return ((RedisClient) client).connectAsync(StringCodec.UTF8, uri).toCompletableFuture()
                    .thenApply(c -> (StatefulConnection<String, String>) c);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Runs {@code action} with the plugin's class loader as the thread's context class loader, so
     * that the threads Lettuce and Netty start meanwhile (they inherit it), and their lookups by
     * class name, find the plugin's own copies of their classes rather than the server's class path.
     */
    private static <T> T inPluginClassLoader(java.util.function.Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(RedisConnector.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** @return the error's message, with its root cause's when there is one (Lettuce wraps the telling part) */
    static String reason(Throwable error) {
        Throwable top = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        Throwable root = top;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == top ? String.valueOf(top.getMessage()) : top.getMessage() + " (" + root + ")";
    }

    @SuppressWarnings("unchecked")
    private static RedisScriptingAsyncCommands<String, String> commandsOf(StatefulConnection<String, String> connection) {
        if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
            return ((StatefulRedisClusterConnection<String, String>) cluster).async();
        }
        return ((StatefulRedisConnection<String, String>) connection).async();
    }

    private void scheduleRetry() {
        try {
            retry = timer.schedule(this::attempt, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("No retry of the Redis connection: the timer has stopped");
        }
    }

    /** @return the commands once connected, otherwise empty */
    Optional<RedisScriptingAsyncCommands<String, String>> commands() {
        Link current = link;
        return current == null ? Optional.empty() : Optional.of(current.commands());
    }

    /** @return {@code connected}, {@code reconnecting} (connected once, now lost) or {@code connecting} */
    String state() {
        Link current = link;
        if (current == null) {
            return "connecting";
        }
        return current.connection().isOpen() ? "connected" : "reconnecting";
    }

    /** @return the failed connection attempts so far */
    long failedAttempts() {
        return failures.total();
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> pending = retry;
        if (pending != null) {
            pending.cancel(false);
        }
        Link current = link;
        if (current != null) {
            current.connection().close();
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
