package io.gatehouse.plugins.requestlimits;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The validated config of one {@code request-limits} entry.
 *
 * @param maxBody the largest request body, in bytes, when limited
 * @param chunked what to do with a body of unknown length when {@code maxBody} is set
 * @param methods the methods allowed, case-sensitive (with {@code GET}, {@code HEAD} too), when limited
 * @param allowValue the {@code Allow} value of a 405, in config order
 * @param requiredHeaders header names that must be present with a value
 */
record RequestLimitsConfig(OptionalLong maxBody, ChunkedBodies chunked, Optional<Set<String>> methods, String allowValue,
                           List<String> requiredHeaders) {

    RequestLimitsConfig {
        methods = methods.map(Set::copyOf);
        requiredHeaders = List.copyOf(requiredHeaders);
    }
}
