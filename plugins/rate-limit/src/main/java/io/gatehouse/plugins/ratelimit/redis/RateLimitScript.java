package io.gatehouse.plugins.ratelimit.redis;

import io.gatehouse.plugins.ratelimit.limit.Decision;
import io.gatehouse.plugins.ratelimit.limit.LimitSpec;
import io.gatehouse.plugins.ratelimit.limit.Snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua script ({@code rate-limit.lua}) that decides a request against several limits in one
 * atomic round trip, or charges pre-aggregated requests, and the encoding of its arguments and
 * replies. The script mirrors the Java algorithms, in microseconds. Immutable.
 */
final class RateLimitScript {

    static final String ACQUIRE = "acquire";
    static final String CHARGE = "charge";

    private final String source;
    private final String sha;

    private RateLimitScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** @return the script from the plugin's resources */
    static RateLimitScript load() {
        try (InputStream in = RateLimitScript.class.getResourceAsStream("rate-limit.lua")) {
            if (in == null) {
                throw new IllegalStateException("rate-limit.lua is missing from the plugin");
            }
            return new RateLimitScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String source() {
        return source;
    }

    /** @return the script's SHA-1, as {@code EVALSHA} wants it */
    String sha() {
        return sha;
    }

    /**
     * @param mode {@link #ACQUIRE} or {@link #CHARGE}
     * @param nowMicros the time, or 0 for the Redis server's clock
     * @param cost the requests to admit or charge
     * @param limits the limits of the keys, in key order
     * @return the script's {@code ARGV}
     */
    static String[] arguments(String mode, long nowMicros, long cost, List<LimitSpec> limits) {
        String[] args = new String[3 + 4 * limits.size()];
        args[0] = mode;
        args[1] = Long.toString(nowMicros);
        args[2] = Long.toString(cost);
        int i = 3;
        for (LimitSpec spec : limits) {
            args[i++] = Integer.toString(spec.algorithm().scriptCode());
            args[i++] = Long.toString(spec.rate().count());
            args[i++] = Long.toString(spec.rate().periodNanos() / 1000);
            args[i++] = Long.toString(spec.burst());
        }
        return args;
    }

    /**
     * @param reply the reply to an {@link #ACQUIRE}
     * @param keys the number of keys sent
     * @return the decision of each key, in key order
     * @throws IllegalStateException when the reply is not what the script returns
     */
    static Decision[] decisions(List<Object> reply, int keys) {
        if (reply.size() != 1 + 4 * keys) {
            throw new IllegalStateException("unexpected reply of the rate-limit script: " + reply);
        }
        Decision[] decisions = new Decision[keys];
        for (int k = 0; k < keys; k++) {
            int at = 1 + 4 * k;
            long reset = micros(reply.get(at + 2));
            decisions[k] = number(reply.get(at)) == 1
                    ? Decision.allow(number(reply.get(at + 1)), reset)
                    : Decision.reject(reset, micros(reply.get(at + 3)));
        }
        return decisions;
    }

    /**
     * @param reply the reply to a {@link #CHARGE}
     * @return the state of each key after the charge, in key order
     */
    static List<Snapshot> snapshots(List<Object> reply) {
        List<Snapshot> snapshots = new ArrayList<>(reply.size());
        for (Object item : reply) {
            if (!(item instanceof List<?> values) || values.size() != 3) {
                throw new IllegalStateException("unexpected reply of the rate-limit script: " + reply);
            }
            snapshots.add(new Snapshot(Double.parseDouble(String.valueOf(values.get(0))), number(values.get(1)),
                    micros(values.get(2))));
        }
        return snapshots;
    }

    private static long number(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalStateException("expected a number in the rate-limit script's reply, got " + value);
    }

    private static long micros(Object value) {
        return number(value) * 1000;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
