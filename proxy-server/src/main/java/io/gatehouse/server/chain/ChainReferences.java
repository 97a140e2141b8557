package io.gatehouse.server.chain;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.References;
import io.gatehouse.api.References.Kind;
import io.gatehouse.server.config.FilterSpec;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The check of names across the chain ({@link References}): every route named in a {@code when:}
 * or a filter's configuration is given by a filter that runs earlier, every cluster named is
 * served by a filter that runs later. A name that nothing gives, or that is given on the wrong
 * side, stops start-up with the key that holds it.
 */
final class ChainReferences {

    /**
     * One filter entry's references.
     *
     * @param spec the entry
     * @param references what its factory reported
     */
    record Entry(FilterSpec spec, References references) {
    }

    private final Map<Kind, Set<String>> defined;

    private ChainReferences(Map<Kind, Set<String>> defined) {
        this.defined = defined;
    }

    /**
     * @param entries the chain's entries in order
     * @return the names the chain gives
     * @throws ConfigException naming the key of the first reference that does not hold
     */
    static ChainReferences check(List<Entry> entries) {
        Map<Kind, Set<String>> defined = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            defined.put(kind, new LinkedHashSet<>());
        }
        for (Entry entry : entries) {
            entry.references().defines().forEach(name -> defined.get(name.kind()).add(name.name()));
        }
        for (int i = 0; i < entries.size(); i++) {
            for (References.Reference reference : referencesOf(entries.get(i))) {
                Optional<String> problem = problem(entries, i, reference, defined.get(reference.kind()));
                if (problem.isPresent()) {
                    throw new ConfigException(reference.key(), problem.get());
                }
            }
        }
        Map<Kind, Set<String>> frozen = new EnumMap<>(Kind.class);
        defined.forEach((kind, names) -> frozen.put(kind, Set.copyOf(names)));
        return new ChainReferences(frozen);
    }

    /** @return the names of {@code kind} that the chain's filters give */
    Set<String> defined(Kind kind) {
        return defined.get(kind);
    }

    /** The entry's references with full keys: its {@code when: { route }} and its configuration's. */
    private static List<References.Reference> referencesOf(Entry entry) {
        List<References.Reference> all = new ArrayList<>();
        List<String> routes = entry.spec().when().route();
        for (int j = 0; j < routes.size(); j++) {
            all.add(new References.Reference(Kind.ROUTE, routes.get(j), entry.spec().key() + ".when.route[" + j + "]"));
        }
        for (References.Reference reference : entry.references().refersTo()) {
            all.add(new References.Reference(reference.kind(), reference.name(), entry.spec().key() + ".config." + reference.key()));
        }
        return all;
    }

    private static Optional<String> problem(List<Entry> entries, int at, References.Reference reference, Set<String> names) {
        String quoted = "\"" + reference.name() + "\"";
        if (!names.contains(reference.name())) {
            String known = names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
            return Optional.of(reference.kind() == Kind.ROUTE
                    ? "no filter defines a route named " + quoted + " (routes defined: " + known + ")"
                    : "no load balancer serves a cluster named " + quoted + " (clusters served: " + known + ")");
        }
        boolean before = reference.kind() == Kind.ROUTE;
        for (int i = before ? 0 : at + 1; before ? i < at : i < entries.size(); i++) {
            if (entries.get(i).references().defines().contains(new References.Name(reference.kind(), reference.name()))) {
                return Optional.empty();
            }
        }
        Entry definer = entries.stream().filter(e -> e.references().defines()
                .contains(new References.Name(reference.kind(), reference.name()))).findFirst().orElseThrow();
        String where = definer.spec().key() + " (" + definer.spec().type() + ")";
        return Optional.of(before
                ? "route " + quoted + " is defined by " + where + ", which does not run before this filter: move it earlier"
                : "cluster " + quoted + " is served by " + where + ", which does not run after this filter: move the balancer later");
    }
}
