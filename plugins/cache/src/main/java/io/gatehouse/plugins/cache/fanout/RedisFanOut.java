package io.gatehouse.plugins.cache.fanout;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Invalidations shared through Redis pub/sub: each instance publishes its own (signed, see
 * {@link SignedMessages}) on the channel and applies those of the others. Two connections, opened
 * in the background and retried every second until both stand; then Lettuce reconnects (and
 * subscribes again) by itself. While Redis is unreachable, publishing fails at once and is
 * counted; nothing waits for Redis and nothing is queued for later: delivery is at most once, and
 * an instance that missed a message keeps the entry until it expires.
 */
public final class RedisFanOut implements FanOut {

    private static final Logger LOG = LoggerFactory.getLogger(RedisFanOut.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    static {
        // as in the rate-limit plugin: Lettuce's JFR events look classes up through the context class loader, which
        // under PF4J may find another copy of them
        if (System.getProperty("io.lettuce.core.jfr") == null) {
            System.setProperty("io.lettuce.core.jfr", "false");
        }
    }

    private final FanOutSettings settings;
    private final SignedMessages messages;
    private final Consumer<InvalidationMessage> apply;
    private final Executor applier;
    private final ScheduledExecutorService timer;
    private final String name;
    private final ClientResources resources;
    private final RedisClient client;
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder applied = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> publisher;
    private volatile StatefulRedisPubSubConnection<String, String> subscriber;
    private volatile boolean closed;

    /**
     * @param settings where and how
     * @param apply applies another instance's invalidation to this one's store
     * @param applier where received invalidations are applied (off Lettuce's I/O threads)
     * @param timer for connection retries
     * @param name the filter instance, for log lines
     */
    public RedisFanOut(FanOutSettings settings, Consumer<InvalidationMessage> apply, Executor applier, ScheduledExecutorService timer,
                       String name) {
        this.settings = settings;
        this.messages = new SignedMessages(settings.token().getBytes(StandardCharsets.UTF_8), UUID.randomUUID().toString());
        this.apply = apply;
        this.applier = applier;
        this.timer = timer;
        this.name = name;
        this.resources = inPluginClassLoader(() -> DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build());
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(1_000)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).keepAlive(true).tcpNoDelay(true).build())
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(Duration.ofSeconds(2)).build())
                .build());
    }

    @Override
    public void start() {
        attempt();
    }

    private void attempt() {
        if (closed) {
            return;
        }
        RedisURI uri = RedisURI.create(settings.redisUri());
        CompletableFuture<StatefulRedisPubSubConnection<String, String>> subscribing = subscriber != null
                ? CompletableFuture.completedFuture(subscriber)
                : inPluginClassLoader(() -> client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture())
                        .thenCompose(connection -> {
                            connection.addListener(new RedisPubSubAdapter<>() {
                                @Override
                                public void message(String channel, String text) {
                                    received(text);
                                }
                            });
                            return connection.async().subscribe(settings.channel()).toCompletableFuture().thenApply(ok -> connection);
                        });
        subscribing.thenCompose(connection -> {
            subscriber = connection;
            return publisher != null ? CompletableFuture.completedFuture(publisher)
                    : inPluginClassLoader(() -> client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture());
        }).whenComplete((connection, error) -> {
            if (error != null) {
                if (failureLogged.compareAndSet(false, true)) {
                    LOG.warn("{}: cannot reach Redis {} for the purge fan-out (retrying every second): {}", name, uri, rootMessage(error));
                }
                retryLater();
            } else {
                publisher = connection;
                failureLogged.set(false);
                LOG.info("{}: purge fan-out on Redis {}, channel {}", name, uri, settings.channel());
                if (closed) {
                    connection.closeAsync();
                    subscriber.closeAsync();
                }
            }
        });
    }

    private void retryLater() {
        try {
            timer.schedule(this::attempt, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: no retry of the fan-out connection: the timer has stopped", name);
        }
    }

    private void received(String text) {
        if (messages.isOwn(text)) {
            return;
        }
        messages.decode(text).ifPresentOrElse(message -> {
            try {
                applier.execute(() -> {
                    apply.accept(message);
                    applied.increment();
                });
            } catch (RejectedExecutionException e) {
                LOG.debug("{}: an invalidation from another instance was dropped: the executor is full or stopped", name);
            }
        }, refused::increment);
    }

    @Override
    public void publish(InvalidationMessage message) {
        StatefulRedisConnection<String, String> connection = publisher;
        if (connection == null || closed) {
            failed.increment();
            return;
        }
        try {
            connection.async().publish(settings.channel(), messages.encode(message)).whenComplete((receivers, error) -> {
                if (error != null) {
                    failed.increment();
                } else {
                    sent.increment();
                }
            });
        } catch (RuntimeException e) { // rejected: disconnected, or the queue is full
            failed.increment();
        }
    }

    @Override
    public String state() {
        StatefulRedisConnection<String, String> connection = publisher;
        String link = connection == null ? "connecting" : connection.isOpen() && subscriber.isOpen() ? "connected" : "reconnecting";
        return "fan-out " + link + " (channel " + settings.channel() + "): " + sent.sum() + " sent, " + failed.sum() + " not sent, "
                + applied.sum() + " applied, " + refused.sum() + " refused";
    }

    /** @return invalidations of other instances applied here so far */
    public long applied() {
        return applied.sum();
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisPubSubConnection<String, String> sub = subscriber;
        StatefulRedisConnection<String, String> pub = publisher;
        if (sub != null) {
            sub.closeAsync();
        }
        if (pub != null) {
            pub.closeAsync();
        }
        client.shutdownAsync(0, 2, TimeUnit.SECONDS).thenRun(() -> resources.shutdown(0, 2, TimeUnit.SECONDS));
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** Lettuce's and Netty's threads, started meanwhile, inherit the plugin's class loader as their context class loader. */
    private static <T> T inPluginClassLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(RedisFanOut.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
