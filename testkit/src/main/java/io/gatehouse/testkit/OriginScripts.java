package io.gatehouse.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which reply a {@link TestOrigin} gives to which path: exact paths first, then the longest
 * matching prefix ({@code /img/*}), then the default. Immutable; the origin swaps snapshots.
 */
final class OriginScripts {

    /** One scripted answer: a fixed reply, or one computed from the request. */
    record Script(Optional<Reply> fixed, Function<ReceivedRequest, Reply> computed) {

        static Script of(Reply reply) {
            Objects.requireNonNull(reply, "reply");
            return new Script(Optional.of(reply), request -> reply);
        }

        static Script of(Function<ReceivedRequest, Reply> script) {
            Objects.requireNonNull(script, "script");
            return new Script(Optional.empty(), script);
        }

        /** @return whether the connection goes to a raw handler before the body is read */
        boolean rawBeforeBody() {
            return fixed.flatMap(Reply::rawHandler).isPresent();
        }

        Reply replyTo(ReceivedRequest request) {
            return Objects.requireNonNull(computed.apply(request), "the origin's script returned null");
        }
    }

    private final Script fallback;
    private final Map<String, Script> exact;
    private final Map<String, Script> prefixes;

    private OriginScripts(Script fallback, Map<String, Script> exact, Map<String, Script> prefixes) {
        this.fallback = fallback;
        this.exact = Map.copyOf(exact);
        this.prefixes = Map.copyOf(prefixes);
    }

    /**
     * @param fallback the answer to paths no other script matches
     * @return scripts with only that answer
     */
    static OriginScripts of(Script fallback) {
        return new OriginScripts(fallback, Map.of(), Map.of());
    }

    /**
     * @param next the new default answer
     * @return a copy with it
     */
    OriginScripts withDefault(Script next) {
        return new OriginScripts(next, exact, prefixes);
    }

    /**
     * @param path an exact path such as {@code /healthz}, or a prefix ending in {@code /*} such as {@code /img/*}
     * @param script its answer
     * @return a copy with it
     */
    OriginScripts with(String path, Script script) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a path starts with /: " + path);
        }
        Map<String, Script> nextExact = new HashMap<>(exact);
        Map<String, Script> nextPrefixes = new HashMap<>(prefixes);
        if (path.endsWith("/*")) {
            nextPrefixes.put(path.substring(0, path.length() - 1), script);
        } else {
            nextExact.put(path, script);
        }
        return new OriginScripts(fallback, nextExact, nextPrefixes);
    }

    /**
     * @param path a request path
     * @return the script that answers it
     */
    Script lookup(String path) {
        Script script = exact.get(path);
        if (script != null) {
            return script;
        }
        String best = null;
        for (String prefix : prefixes.keySet()) {
            if (path.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? fallback : prefixes.get(best);
    }
}
