package io.gatehouse.server.config;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One proxy listener ({@code server.listen[i]}): a plain string {@code "host:port"} or a mapping
 * with {@code address} and optionally {@code tls}, {@code http2} and {@code redirect-to-https}.
 *
 * @param key the configuration key, e.g. {@code server.listen[1]}, for messages
 * @param address where to listen
 * @param tls the listener's TLS settings; empty for cleartext
 * @param http2 on a TLS listener, whether ALPN offers {@code h2} (default true); on a cleartext
 *     listener, whether HTTP/2 with prior knowledge (h2c) is accepted besides HTTP/1.1 (default false)
 * @param redirectToHttps when present, the listener runs no filter and answers every request with
 *     a {@code 308} to {@code https://host[:port]/same-target} on this port
 */
public record ListenerSpec(String key, InetSocketAddress address, Optional<TlsSettings> tls, boolean http2,
                           OptionalInt redirectToHttps) {

    /**
     * A plain HTTP/1.1 listener.
     *
     * @param key the configuration key
     * @param address where to listen
     * @return the listener
     */
    public static ListenerSpec plain(String key, InetSocketAddress address) {
        return new ListenerSpec(key, address, Optional.empty(), false, OptionalInt.empty());
    }

    /** @return {@code https} for a TLS listener, else {@code http} */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    /**
     * @param other another address (e.g. an ephemeral port in tests)
     * @return this listener at that address
     */
    public ListenerSpec at(InetSocketAddress other) {
        return new ListenerSpec(key, other, tls, http2, redirectToHttps);
    }
}
