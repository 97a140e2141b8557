package io.gatehouse.plugins.ratelimit;

import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.Response;
import io.gatehouse.plugins.ratelimit.limit.Decision;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.Verdict;

import java.time.Duration;
import java.util.List;

/**
 * The response fields of draft-ietf-httpapi-ratelimit-headers (structured-field form) and the
 * refusals. Each limit is a policy named after it: {@code RateLimit-Policy: "per-ip";q=200;w=2}
 * (the quota {@code q} admitted over the window {@code w} seconds: for the bucket algorithms the
 * burst and the time it takes to refill, for the sliding window the rate's count and period) and
 * {@code RateLimit: "per-ip";r=57;t=1} (the remaining quota {@code r}, and {@code t} seconds
 * until the full quota is back). Immutable.
 */
final class RateLimitHeaders {

    static final String POLICY = "RateLimit-Policy";
    static final String RATE_LIMIT = "RateLimit";
    static final String RETRY_AFTER = "Retry-After";

    private final String[] policies;
    private final String[] names;

    RateLimitHeaders(List<LimitSpec> limits) {
        policies = new String[limits.size()];
        names = new String[limits.size()];
        for (int i = 0; i < policies.length; i++) {
            LimitSpec spec = limits.get(i);
            names[i] = "\"" + spec.name() + "\"";
            policies[i] = names[i] + policy(spec);
        }
    }

    /**
     * The quota and its window in whole seconds: the quota over the time it takes to come back
     * (the burst's refill, the period), or, when that is under a second, the rate per second.
     */
    private static String policy(LimitSpec spec) {
        double window = (double) spec.rate().periodNanos() / 1e9 * spec.quota() / spec.rate().count();
        if (window < 1) {
            long perSecond = (long) Math.floor(spec.rate().count() * 1e9 / spec.rate().periodNanos());
            return ";q=" + Math.max(1, perSecond) + ";w=1";
        }
        return ";q=" + spec.quota() + ";w=" + (long) Math.ceil(window - 1e-9);
    }

    /**
     * Adds the fields of an admitted request's verdict.
     *
     * @param fields the response's fields
     * @param verdict the verdict
     */
    void addTo(MutableHttpFields fields, Verdict verdict) {
        if (verdict.decisions().isEmpty()) {
            return;
        }
        fields.set(POLICY, policy(verdict));
        fields.set(RATE_LIMIT, rateLimit(verdict));
    }

    /**
     * @param verdict a rejection
     * @return 429 with {@code Retry-After} and both fields
     */
    Response tooManyRequests(Verdict verdict) {
        Decision decision = verdict.decisions().get(0).decision();
        return Response.status(429)
                .header(RETRY_AFTER, Long.toString(seconds(decision.retryAfterNanos())))
                .header(POLICY, policy(verdict))
                .header(RATE_LIMIT, rateLimit(verdict))
                .header("Content-Type", "text/plain; charset=utf-8")
                .body("too many requests\n")
                .build();
    }

    /**
     * @param reason the text of the body
     * @param retryAfter the time to wait
     * @return 503 with {@code Retry-After}
     */
    static Response unavailable(String reason, Duration retryAfter) {
        return Response.status(503)
                .header(RETRY_AFTER, Long.toString(seconds(retryAfter.toNanos())))
                .header("Content-Type", "text/plain; charset=utf-8")
                .body(reason + "\n")
                .build();
    }

    private String policy(Verdict verdict) {
        StringBuilder value = new StringBuilder();
        for (Verdict.Applied applied : verdict.decisions()) {
            if (!value.isEmpty()) {
                value.append(", ");
            }
            value.append(policies[applied.limit()]);
        }
        return value.toString();
    }

    private String rateLimit(Verdict verdict) {
        StringBuilder value = new StringBuilder();
        for (Verdict.Applied applied : verdict.decisions()) {
            if (!value.isEmpty()) {
                value.append(", ");
            }
            Decision d = applied.decision();
            value.append(names[applied.limit()]).append(";r=").append(d.remaining()).append(";t=").append(seconds(d.resetNanos()));
        }
        return value.toString();
    }

    /** @return whole seconds, rounded up: a client that waits that long is not early */
    static long seconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
