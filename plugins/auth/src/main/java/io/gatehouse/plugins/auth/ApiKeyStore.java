package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys of one filter, as hashes. Immutable.
 *
 * <p>A key with an {@code id} is presented as {@code ID.SECRET} (the whole text is what was
 * hashed) and found by its id with one hash check: that is how keys with slow password hashes
 * work, and how large key sets stay cheap. Keys without an id must have a fast {@code $sha256$}
 * hash; a presented key that names no id is checked against each of them (at most {@value
 * #MAX_SCANNED}, a few microseconds in all).
 */
final class ApiKeyStore {

    /** How many keys without an id one store may hold. */
    static final int MAX_SCANNED = 100;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> ENTRY_KEYS = Set.of("id", "consumer", "groups", "hash");

    /**
     * One key.
     *
     * @param id the key's public prefix, before the first {@code .}
     * @param consumer who presents it
     * @param groups the consumer's groups
     * @param hash the key's hash
     */
    record Entry(Optional<String> id, String consumer, Set<String> groups, PasswordHash hash) {
    }

    static final ApiKeyStore EMPTY = new ApiKeyStore(Map.of(), List.of());

    private final Map<String, Entry> byId;
    private final List<Entry> scanned;
    private final Set<Entry> all;

    private ApiKeyStore(Map<String, Entry> byId, List<Entry> scanned) {
        this.byId = Map.copyOf(byId);
        this.scanned = List.copyOf(scanned);
        Set<Entry> every = new HashSet<>(byId.values());
        every.addAll(scanned);
        this.all = Set.copyOf(every);
    }

    /**
     * Parses the list of keys under {@code key} and adds them to this store's.
     *
     * @param section the section holding the list
     * @param key the list's key ({@code keys})
     * @return a store with this store's keys and the list's
     * @throws ConfigException naming the entry's key
     */
    ApiKeyStore plus(PluginConfig section, String key) {
        Map<String, Entry> ids = new HashMap<>(byId);
        List<Entry> scan = new ArrayList<>(scanned);
        for (PluginConfig entry : section.getSectionList(key)) {
            entry.requireKnownKeys(ENTRY_KEYS);
            Optional<String> id = entry.findString("id");
            if (id.isPresent() && !ID.matcher(id.get()).matches()) {
                throw new ConfigException(entry.path("id"), "an id is 1 to 64 letters, digits, _ or -");
            }
            PasswordHash hash = PasswordHash.parse(entry.getString("hash"), entry.path("hash"));
            Entry parsed = new Entry(id, ConfigChecks.name(entry, "consumer"), ConfigChecks.names(entry, "groups"), hash);
            if (id.isPresent()) {
                if (ids.put(id.get(), parsed) != null) {
                    throw new ConfigException(entry.path("id"), "the id " + id.get() + " is used twice");
                }
            } else if (hash.slow()) {
                throw new ConfigException(entry.path("hash"), "a key with a password hash needs an id "
                        + "(presented as ID.SECRET): checking every slow hash per request is not possible");
            } else if (scan.size() == MAX_SCANNED) {
                throw new ConfigException(entry.path("id"), "more than " + MAX_SCANNED + " keys without an id: give keys ids");
            } else {
                scan.add(parsed);
            }
        }
        return new ApiKeyStore(ids, scan);
    }

    /**
     * @param presented the key as presented
     * @return the entry whose id prefixes it ({@code ID.}), if any
     */
    Optional<Entry> byIdOf(String presented) {
        int dot = presented.indexOf('.');
        return dot <= 0 || byId.isEmpty() ? Optional.empty() : Optional.ofNullable(byId.get(presented.substring(0, dot)));
    }

    /**
     * Checks the presented key against every key without an id (all of them, without stopping at
     * a match, so the time does not depend on which matched).
     *
     * @param secret the presented key, UTF-8
     * @return the matching entry
     */
    Optional<Entry> scan(byte[] secret) {
        Entry found = null;
        for (Entry entry : scanned) {
            if (entry.hash().matches(secret) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * @param entry an entry remembered from an earlier match
     * @return whether it is still one of this store's
     */
    boolean holds(Entry entry) {
        return all.contains(entry);
    }

    /** @return how many keys */
    int size() {
        return all.size();
    }
}
