package io.gatehouse.plugins.cache;

import io.gatehouse.api.Exchange;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * stale-while-revalidate's refresh (RFC 5861 §3): once per stale key, a request for it is sent
 * again, in the background, through this Gatehouse itself (its own listener, so routing, load
 * balancing and every other filter apply as for a client), marked with a per-process token
 * that makes the cache fetch and store instead of serving. It runs on the blocking executor:
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

    private final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final Executor executor;

    BackgroundRefresh(Executor executor) {
        this.executor = executor;
    }

    /** @return whether the request is one of ours (the marker is then removed) */
    boolean isRefresh(RequestHead request) {
        boolean ours = request.headers().first(MARKER).map(token::equals).orElse(false);
        request.headers().remove(MARKER);
        return ours;
    }

    /** Starts a refresh of {@code key} unless one is running; {@code vary} are the request fields the entry varies on. */
    void start(String key, Exchange exchange, List<String> vary) {
        if (!refreshing.add(key)) {
            return;
        }
        RequestHead request = exchange.request();
        StringBuilder head = new StringBuilder("GET ").append(request.target()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(request.authority()).append("\r\n");
        for (String field : vary) {
            for (String value : request.headers().all(field)) {
                head.append(field).append(": ").append(value).append("\r\n");
            }
        }
        head.append(MARKER).append(": ").append(token).append("\r\nConnection: close\r\n\r\n");
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
                    refreshing.remove(key);
                }
            });
        } catch (RuntimeException e) {
            refreshing.remove(key);
        }
    }
}
