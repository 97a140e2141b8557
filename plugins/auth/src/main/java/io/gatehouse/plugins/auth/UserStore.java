package io.gatehouse.plugins.auth;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The users of HTTP Basic authentication, with password hashes (bcrypt, PBKDF2 or Argon2: never
 * plain text, never a fast hash). Immutable.
 */
final class UserStore {

    private static final Set<String> ENTRY_KEYS = Set.of("name", "groups", "hash", "password");

    /**
     * One user.
     *
     * @param name the user name, also the consumer
     * @param groups its groups
     * @param hash its password's hash
     */
    record Entry(String name, Set<String> groups, PasswordHash hash) {
    }

    static final UserStore EMPTY = new UserStore(Map.of());

    private final Map<String, Entry> byName;
    private final Set<Entry> all;

    private UserStore(Map<String, Entry> byName) {
        this.byName = Map.copyOf(byName);
        this.all = Set.copyOf(new HashSet<>(byName.values()));
    }

    /**
     * Parses the list of users under {@code key} and adds them to this store's.
     *
     * @param section the section holding the list
     * @param key the list's key ({@code users})
     * @return a store with this store's users and the list's
     * @throws ConfigException naming the entry's key
     */
    UserStore plus(PluginConfig section, String key) {
        Map<String, Entry> users = new LinkedHashMap<>(byName);
        for (PluginConfig entry : section.getSectionList(key)) {
            entry.requireKnownKeys(ENTRY_KEYS);
            if (entry.has("password")) {
                throw new ConfigException(entry.path("password"),
                        "plain-text passwords are refused: give a bcrypt, PBKDF2 or Argon2 hash (see docs/auth.md)");
            }
            String name = ConfigChecks.name(entry, "name");
            if (name.indexOf(':') >= 0) {
                throw new ConfigException(entry.path("name"), "a user name cannot hold ':' (Basic separates it from the password with one)");
            }
            PasswordHash hash = PasswordHash.parse(entry.getString("hash"), entry.path("hash"));
            if (!hash.slow()) {
                throw new ConfigException(entry.path("hash"), "a password needs a password hash (bcrypt, PBKDF2 or Argon2), not "
                        + hash.algorithm());
            }
            if (users.put(name, new Entry(name, ConfigChecks.names(entry, "groups"), hash)) != null) {
                throw new ConfigException(entry.path("name"), "the user " + name + " is listed twice");
            }
        }
        return new UserStore(users);
    }

    /**
     * @param name a user name as presented
     * @return the user
     */
    Optional<Entry> user(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @return a hash of the same kind and cost as a real user's, to check unknown users against (so they take as long) */
    Optional<PasswordHash> decoy() {
        return byName.values().stream().findFirst().map(Entry::hash);
    }

    /**
     * @param entry an entry remembered from an earlier match
     * @return whether it is still one of this store's
     */
    boolean holds(Entry entry) {
        return all.contains(entry);
    }

    /** @return how many users */
    int size() {
        return byName.size();
    }
}
