package io.gatehouse.plugins.requestlimits;

/**
 * What {@code max-body} does with a body of unknown length (chunked): the API lets a filter see
 * such a body stream past, but not stop it mid-way, so it cannot be held to the limit once
 * forwarded.
 */
enum ChunkedBodies {
    /** Refused with 411 Length Required: the limit holds for every request. */
    REFUSE,
    /** Forwarded, bounded only by the server's {@code limits.body}. */
    ALLOW
}
