package io.gatehouse.server.config;

import java.util.Objects;

/**
 * {@code server.forwarding.request-id}: the correlation id every exchange carries
 * ({@code Keys.REQUEST_ID}), kept from a trusted proxy's request field or generated, passed to the
 * origin and returned to the client in the field {@code header}.
 *
 * @param enabled whether the proxy assigns request ids at all (otherwise the field passes untouched)
 * @param header the field that carries the id, both ways
 */
public record RequestIds(boolean enabled, String header) {

    /** The default field. */
    public static final String DEFAULT_HEADER = "X-Request-Id";

    /** On, with {@value #DEFAULT_HEADER}. */
    public static final RequestIds DEFAULT = new RequestIds(true, DEFAULT_HEADER);

    /** Checks the field name is there. */
    public RequestIds {
        Objects.requireNonNull(header, "header");
    }
}
