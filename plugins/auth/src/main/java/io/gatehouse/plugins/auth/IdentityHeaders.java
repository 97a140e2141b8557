package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.PluginConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The fields that carry the identity to the origin ({@code identity:}): the consumer, its groups,
 * chosen JWT claims, and a forward-auth service's copied fields. Every one of them is removed
 * from the client's request before anything else happens, whatever the outcome, so an origin can
 * trust them: a client can never forge them. Values that are not printable ASCII are left out
 * rather than sent garbled. Immutable.
 *
 * @param consumerHeader the field naming the consumer
 * @param groupsHeader the field listing its groups, comma-separated
 * @param claimHeaders field name to claim name
 * @param removed every field name removed from the client's request (lower case)
 */
record IdentityHeaders(String consumerHeader, String groupsHeader, Map<String, String> claimHeaders, List<String> removed) {

    private static final Set<String> KEYS = Set.of("consumer-header", "groups-header", "claims", "remove");

    /**
     * @param config the {@code identity} section
     * @param copiedByForward the fields a forward-auth service's answer may set
     * @return the fields
     */
    static IdentityHeaders parse(PluginConfig config, List<String> copiedByForward) {
        config.requireKnownKeys(KEYS);
        String consumer = ConfigChecks.fieldName(config.getString("consumer-header", "X-Consumer"), config.path("consumer-header"));
        String groups = ConfigChecks.fieldName(config.getString("groups-header", "X-Consumer-Groups"), config.path("groups-header"));
        Map<String, String> claims = new LinkedHashMap<>();
        config.getStringMap("claims").forEach((header, claim) ->
                claims.put(ConfigChecks.fieldName(header, config.path("claims") + "." + header), claim));
        Set<String> removed = new LinkedHashSet<>();
        removed.add(consumer.toLowerCase(Locale.ROOT));
        removed.add(groups.toLowerCase(Locale.ROOT));
        claims.keySet().forEach(h -> removed.add(h.toLowerCase(Locale.ROOT)));
        copiedByForward.forEach(h -> removed.add(h.toLowerCase(Locale.ROOT)));
        ConfigChecks.fieldNames(config, "remove").forEach(h -> removed.add(h.toLowerCase(Locale.ROOT)));
        if (removed.contains("authorization") || removed.contains("cookie") || removed.contains("host")) {
            throw new ConfigException(config.path("claims"), "Authorization, Cookie and Host cannot carry the identity");
        }
        return new IdentityHeaders(consumer, groups, Map.copyOf(claims), List.copyOf(removed));
    }

    /**
     * Removes the client's copies of every identity field.
     *
     * @param headers the client→proxy request's fields
     */
    void strip(MutableHttpFields headers) {
        for (String name : removed) {
            headers.remove(name);
        }
    }

    /**
     * Writes the identity onto the proxy→origin request.
     *
     * @param headers the request's fields, already stripped
     * @param identity who the request comes from
     */
    void apply(MutableHttpFields headers, Identity identity) {
        identity.consumer().filter(ConfigChecks::safeFieldValue).ifPresent(c -> headers.set(consumerHeader, c));
        List<String> groups = new ArrayList<>();
        for (String group : identity.groups()) {
            if (ConfigChecks.safeFieldValue(group) && group.indexOf(',') < 0) {
                groups.add(group);
            }
        }
        if (!groups.isEmpty()) {
            groups.sort(null);
            headers.set(groupsHeader, String.join(",", groups));
        }
        claimHeaders.forEach((header, claim) -> {
            String value = text(identity.claims().get(claim));
            if (!value.isEmpty() && ConfigChecks.safeFieldValue(value)) {
                headers.set(header, value);
            }
        });
        identity.upstreamHeaders().forEach((name, value) -> {
            if (ConfigChecks.safeFieldValue(value)) {
                headers.add(name, value);
            }
        });
    }

    /** A claim as field text: scalars as they are, a list of scalars comma-separated, anything else empty. */
    private static String text(Object claim) {
        if (claim instanceof String || claim instanceof Number || claim instanceof Boolean) {
            return String.valueOf(claim);
        }
        if (claim instanceof List<?> list) {
            StringJoiner joined = new StringJoiner(",");
            for (Object element : list) {
                if (!(element instanceof String || element instanceof Number || element instanceof Boolean)) {
                    return "";
                }
                joined.add(String.valueOf(element));
            }
            return joined.toString();
        }
        return "";
    }
}
