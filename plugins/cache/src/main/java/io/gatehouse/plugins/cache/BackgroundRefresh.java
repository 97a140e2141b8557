package io.gatehouse.plugins.cache;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.RequestHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * stale-while-revalidate's refresh (RFC 5861 §3): once per stale variant, the client's request
 * is replayed in the background through this Gatehouse itself (its own listener), so that
 * routing, load balancing and every other filter choose as they did for the client. The replay
 * is the request as the cache saw it: the client's target and host (never a target a router
 * rewrote), its fields (credentials and cookies too, as nginx's background update does), without
 * conditionals, ranges and hop-by-hop fields. It is marked with a per-process secret and a
 * number that make the cache fetch and store instead of serving, and that give the cache back
 * what the listener cannot know: the client's forwarding fields ({@code X-Forwarded-*},
 * {@code Forwarded}, {@code X-Real-IP}), put back before the request goes on so the origin sees
 * the client, not the proxy, and the client part of the key. It runs on the blocking executor:
 * never on an I/O thread, never in a client's way.
 */
final class BackgroundRefresh {

    /**
     * Not an {@code X-Gatehouse-*} name: the server removes those from every request it
     * receives. The marker needs no such protection: only this process knows its token.
     */
    static final String MARKER = "Gatehouse-Cache-Refresh";
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRefresh.class);
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final Set<String> FORWARDING = Set.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
            "x-forwarded-port", "forwarded", "x-real-ip");
    private static final Set<String> NOT_REPLAYED = Set.of("host", "connection", "keep-alive", "te", "upgrade", "proxy-connection",
            "transfer-encoding", "content-length", "expect", "range", "if-none-match", "if-modified-since", "if-match",
            "if-unmodified-since", "if-range", MARKER.toLowerCase(Locale.ROOT));

    /**
     * What a refresh's exchange takes over from the client's.
     *
     * @param key the primary key of the refreshed entry
     * @param client the client part of its context ({@link KeyContext#client()})
     * @param forwarding the client's forwarding fields, names and values in order
     */
    record Replay(String key, String client, List<Field> forwarding) {

        Replay {
            forwarding = List.copyOf(forwarding);
        }

        /** Puts the client's forwarding fields back in place of those the listener wrote for the proxy's own connection. */
        void restoreForwarding(MutableHttpFields headers) {
            for (String name : FORWARDING) {
                headers.remove(name);
            }
            for (Field field : forwarding) {
                headers.add(field.name(), field.value());
            }
        }
    }

    /**
     * @param name a field name
     * @param value its value
     */
    record Field(String name, String value) {
    }

    private final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final AtomicLong numbers = new AtomicLong();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Replay> pending = new ConcurrentHashMap<>();
    private final Executor executor;

    BackgroundRefresh(Executor executor) {
        this.executor = executor;
    }

    /**
     * @param fields the request's fields
     * @param request the request, whose marker is removed
     * @return the replay when the request is one of ours
     */
    Optional<Replay> claim(RequestFields fields, RequestHead request) {
        Optional<String> marker = fields.refreshMarker();
        if (marker.isPresent()) {
            request.headers().remove(MARKER);
        }
        return marker.map(pending::remove);
    }

    /**
     * Starts a refresh unless one of the same variant is running.
     *
     * @param key the primary key of the stale entry
     * @param context the context it was found in
     * @param exchange the client's exchange that found it stale
     * @param clientTarget the client's target ({@link CacheKey#clientTarget})
     */
    void start(String key, KeyContext context, Exchange exchange, String clientTarget) {
        String variant = key + '\n' + context.id();
        if (!refreshing.add(variant)) {
            return;
        }
        RequestHead request = exchange.request();
        String marker = token + "-" + numbers.incrementAndGet();
        StringBuilder head = new StringBuilder(512).append("GET ").append(clientTarget).append(" HTTP/1.1\r\n")
                .append("Host: ").append(request.authority()).append("\r\n");
        List<Field> forwarding = new ArrayList<>();
        request.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (NOT_REPLAYED.contains(lower) || !singleLine(name) || !singleLine(value)) {
                return;
            }
            head.append(name).append(": ").append(value).append("\r\n");
            if (FORWARDING.contains(lower)) {
                forwarding.add(new Field(name, value));
            }
        });
        head.append(MARKER).append(": ").append(marker).append("\r\nConnection: close\r\n\r\n");
        pending.put(marker, new Replay(key, context.client(), forwarding));
        InetSocketAddress local = exchange.localAddress();
        InetAddress address = local.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : local.getAddress();
        try {
            executor.execute(() -> {
                try (Socket socket = new Socket(address, local.getPort())) {
                    socket.setSoTimeout(TIMEOUT_MILLIS);
                    OutputStream out = socket.getOutputStream();
                    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    InputStream in = socket.getInputStream();
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    LOG.debug("Cache refresh of {} failed: {}", key, e.toString());
                } finally {
                    done(variant, marker);
                }
            });
        } catch (RuntimeException e) {
            done(variant, marker);
        }
    }

    private void done(String variant, String marker) {
        pending.remove(marker);
        refreshing.remove(variant);
    }

    private static boolean singleLine(String text) {
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0;
    }
}
