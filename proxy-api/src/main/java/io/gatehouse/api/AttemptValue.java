package io.gatehouse.api;

import java.util.Objects;

/** The implementation of {@link AttemptResult#of}. */
record AttemptValue(AttemptResult.Kind kind, int status, long timeToFirstByteNanos, boolean staleConnection)
        implements AttemptResult {

    AttemptValue {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.RESPONSE ? status < 100 || status > 999 : status != 0) {
            throw new IllegalArgumentException("status " + status + " does not fit an attempt ending in " + kind
                    + (kind == Kind.RESPONSE ? " (expected 100 to 999)" : " (expected 0)"));
        }
        if (timeToFirstByteNanos < 0) {
            throw new IllegalArgumentException("negative time to first byte: " + timeToFirstByteNanos);
        }
    }
}
