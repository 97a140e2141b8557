package io.gatehouse.plugins.canary;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.References;
import io.gatehouse.api.References.Kind;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The names splits give and refer to. A split that takes the requests of a cluster ({@code from})
 * serves that cluster for the filters before it (a router route's {@code cluster} may be just the
 * label a split takes over, with no balancer of its own); the route a split takes ({@code route})
 * and the clusters of its targets are references. At start-up the server checks them against the chain; a reload of
 * the watched file is checked here, against the same names, and refused when one is unknown.
 */
final class SplitReferences {

    private SplitReferences() {
    }

    /**
     * @param splits the splits
     * @param fixedKey the key to report every reference under (the {@code watch} key, for splits
     *     read from a file), or empty for the key of each reference within {@code splits}
     * @return their references
     */
    static References of(List<Split> splits, Optional<String> fixedKey) {
        References.Builder references = References.builder();
        for (int i = 0; i < splits.size(); i++) {
            Split split = splits.get(i);
            String at = "splits[" + i + "]";
            split.fromCluster().ifPresent(c -> references.defines(Kind.CLUSTER, c));
            split.fromRoute().ifPresent(r -> references.refersTo(Kind.ROUTE, r, fixedKey.orElse(at + ".route")));
            for (int j = 0; j < split.targets().size(); j++) {
                references.refersTo(Kind.CLUSTER, split.targets().get(j).cluster(), fixedKey.orElse(at + ".to[" + j + "].cluster"));
            }
        }
        return references.build();
    }

    /**
     * Checks splits re-read from the watched file against the names the chain gives.
     *
     * @param splits the splits read
     * @param file the watched file
     * @param context the filter's context (which knows the chain's names, when the server runs it)
     * @throws ConfigException naming the file and key of a name nothing in the chain gives
     */
    static void checkReload(List<Split> splits, Path file, FilterContext context) {
        for (References.Reference reference : of(splits, Optional.empty()).refersTo()) {
            Optional<Set<String>> known = context.definedNames(reference.kind());
            if (known.isPresent() && !known.get().contains(reference.name())) {
                throw new ConfigException(file + ": " + reference.key(), reference.kind() == Kind.CLUSTER
                        ? "no load balancer serves a cluster named \"" + reference.name() + "\" (clusters served: "
                                + String.join(", ", new java.util.TreeSet<>(known.get())) + ")"
                        : "no filter defines a route named \"" + reference.name() + "\"");
            }
        }
    }
}
