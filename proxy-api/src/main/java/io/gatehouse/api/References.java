package io.gatehouse.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The names one filter's configuration gives to things other filters refer to, and the names it
 * refers to: {@link Kind#ROUTE routes} (a router names them; {@code when: { route }} and canary
 * splits refer to them) and {@link Kind#CLUSTER clusters} (a load balancer serves them; routes
 * and splits send requests to them; a canary split that takes over a cluster's requests serves it
 * too). A factory reports them with {@link
 * ProxyFilterFactory#references}; when the server builds the chain it checks every reference,
 * so a typo in a name stops start-up with the key that holds it instead of sending every request
 * to a {@code 502}:
 * <ul>
 *   <li>a route must be named by a filter that runs <em>earlier</em> (the route is set by then);</li>
 *   <li>a cluster must be served by a filter that runs <em>later</em> (it balances what earlier
 *       filters sent to the cluster).</li>
 * </ul>
 * Immutable.
 *
 * <pre>{@code
 * References.builder().defines(Kind.ROUTE, "users").refersTo(Kind.CLUSTER, "users", "routes[0].cluster").build()
 * }</pre>
 *
 * @since 0.2
 */
public final class References {

    /** What a name names. */
    public enum Kind {
        /** A route, set on the exchange with {@link Exchange#setRoute}. */
        ROUTE,
        /** A cluster, set on the exchange with {@link Exchange#setCluster} and served by a load balancer. */
        CLUSTER;

        /** @return the lower-case word, as in messages ({@code route}, {@code cluster}) */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A name that a filter gives.
     *
     * @param kind what it names
     * @param name the name
     */
    public record Name(Kind kind, String name) {
        /**
         * Checks the parts.
         *
         * @param kind what it names
         * @param name the name
         */
        public Name {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A place in a filter's configuration that refers to a name.
     *
     * @param kind what the name names
     * @param name the name referred to
     * @param key the key holding it, relative to the filter's {@code config} (such as {@code
     *     routes[1].cluster}); the server prefixes the filter's own key
     */
    public record Reference(Kind kind, String name, String key) {
        /**
         * Checks the parts.
         *
         * @param kind what the name names
         * @param name the name referred to
         * @param key the key holding it, relative to the filter's {@code config}
         */
        public Reference {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
        }
    }

    private static final References NONE = new References(Set.of(), List.of());

    private final Set<Name> defines;
    private final List<Reference> refersTo;

    private References(Set<Name> defines, List<Reference> refersTo) {
        this.defines = Set.copyOf(defines);
        this.refersTo = List.copyOf(refersTo);
    }

    /** @return no names given, none referred to */
    public static References none() {
        return NONE;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the names this filter gives */
    public Set<Name> defines() {
        return defines;
    }

    /** @return the references this filter's configuration makes, in the order of its keys */
    public List<Reference> refersTo() {
        return refersTo;
    }

    /** Collects names and references; not thread-safe. */
    public static final class Builder {

        private final Set<Name> defines = new LinkedHashSet<>();
        private final List<Reference> refersTo = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param kind what the name names
         * @param name the name this filter gives
         * @return this builder
         */
        public Builder defines(Kind kind, String name) {
            defines.add(new Name(kind, name));
            return this;
        }

        /**
         * @param kind what the name names
         * @param name the name referred to
         * @param key the key that holds it, relative to the filter's {@code config}
         * @return this builder
         */
        public Builder refersTo(Kind kind, String name, String key) {
            refersTo.add(new Reference(kind, name, key));
            return this;
        }

        /** @return the references */
        public References build() {
            return defines.isEmpty() && refersTo.isEmpty() ? NONE : new References(defines, refersTo);
        }
    }
}
