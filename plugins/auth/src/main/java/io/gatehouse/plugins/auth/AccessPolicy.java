package io.gatehouse.plugins.auth;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.PluginConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The authorization of an auth filter: every rule that covers a request must pass. A denial
 * that holds refuses it; a requirement that does not hold refuses it too, with 401 when the
 * request has no identity (anonymous) and 403 when it has one. Immutable.
 *
 * @param rules {@code require} and {@code deny} at the top (covering every request), then {@code access}
 * @param accessOffset the index in {@code rules} of {@code access[0]}
 */
record AccessPolicy(List<AccessRule> rules, int accessOffset) {

    /**
     * Why a request is refused.
     *
     * @param authenticate whether it should authenticate first (401) rather than being forbidden (403)
     * @param missingScopes the required scopes its token lacks, for an {@code insufficient_scope} challenge
     */
    record Refusal(boolean authenticate, List<String> missingScopes) {
    }

    static AccessPolicy parse(PluginConfig config) {
        List<AccessRule> rules = new ArrayList<>();
        if (config.has("require") || config.has("deny")) {
            rules.add(new AccessRule(Set.of(), List.of(), List.of(),
                    config.has("require") ? Optional.of(Requirement.parse(config.getSection("require"))) : Optional.empty(),
                    config.has("deny") ? Optional.of(Requirement.parse(config.getSection("deny"))) : Optional.empty()));
        }
        int offset = rules.size();
        for (PluginConfig rule : config.getSectionList("access")) {
            rules.add(AccessRule.parse(rule));
        }
        return new AccessPolicy(List.copyOf(rules), offset);
    }

    /**
     * @param exchange the exchange
     * @param identity who it comes from ({@link Identity#ANONYMOUS} without credentials)
     * @return why it is refused, or empty when it may pass
     */
    Optional<Refusal> check(Exchange exchange, Identity identity) {
        for (AccessRule rule : rules) {
            if (!rule.covers(exchange)) {
                continue;
            }
            if (rule.deny().isPresent() && rule.deny().get().matchesAny(identity)) {
                return Optional.of(new Refusal(false, List.of()));
            }
            if (rule.require().isPresent() && !rule.require().get().allows(identity)) {
                return Optional.of(new Refusal(identity.anonymous(),
                        List.copyOf(new TreeSet<>(rule.require().get().missingScopes(identity)))));
            }
        }
        return Optional.empty();
    }
}
