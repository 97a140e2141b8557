package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored variants of one URI, immutable: at most a configured number, indexed by the
 * variant's key (its {@link KeyContext} and its {@code Vary} values), so a lookup is one hash
 * lookup per distinct set of {@code Vary} field names (usually one), never a scan. Adding a
 * variant past the cap drops the one stored longest ago.
 */
final class Variants {

    static final Variants NONE = new Variants(Map.of(), List.of(), 0);

    /** By variant key, oldest stored first. */
    private final Map<String, Entry> entries;
    /** The distinct lists of Vary field names among the entries. */
    private final List<List<String>> varyNames;
    private final long weight;

    private Variants(Map<String, Entry> entries, List<List<String>> varyNames, long weight) {
        this.entries = entries;
        this.varyNames = varyNames;
        this.weight = weight;
    }

    /**
     * @param context the request's context ({@link KeyContext#id()})
     * @param requestHeaders the request's fields
     * @return the variant that may serve the request (RFC 9111 §4.1), if any
     */
    Optional<Entry> find(String context, HttpFields requestHeaders) {
        for (List<String> names : varyNames) {
            Entry entry = entries.get(key(context, names, requestHeaders));
            if (entry != null) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /**
     * @param context the context the entry was fetched in
     * @param entry the entry
     * @param maxVariants the most variants kept
     * @return these variants with {@code entry} replacing the one with the same key, or added
     *     as the newest, dropping the oldest past {@code maxVariants}
     */
    Variants with(String context, Entry entry, int maxVariants) {
        LinkedHashMap<String, Entry> next = new LinkedHashMap<>(entries);
        String key = key(context, entry.vary());
        next.remove(key);
        next.put(key, entry);
        Iterator<String> oldest = next.keySet().iterator();
        while (next.size() > maxVariants) {
            oldest.next();
            oldest.remove();
        }
        List<List<String>> names = new ArrayList<>();
        long total = Entry.OVERHEAD;
        for (Map.Entry<String, Entry> variant : next.entrySet()) {
            List<String> fields = variant.getValue().vary().stream().map(Entry.VaryField::name).toList();
            if (!names.contains(fields)) {
                names.add(fields);
            }
            total += 2 * Entry.OVERHEAD + variant.getKey().length() + variant.getValue().weight();
        }
        for (List<String> fields : names) {
            total += Entry.OVERHEAD;
            for (String name : fields) {
                total += Entry.OVERHEAD + name.length();
            }
        }
        return new Variants(Collections.unmodifiableMap(next), List.copyOf(names), total);
    }

    /** @return how many variants there are */
    int size() {
        return entries.size();
    }

    /** @return bytes they hold: every entry ({@link Entry#weight()}), its key, the index */
    long weight() {
        return weight;
    }

    /** The key of the variant a request with these fields would select among those varying on {@code names}. */
    private static String key(String context, List<String> names, HttpFields requestHeaders) {
        if (names.isEmpty()) {
            return context;
        }
        StringBuilder key = new StringBuilder(context);
        for (String name : names) {
            appendField(key, name, Entry.varyValue(requestHeaders, name));
        }
        return key.toString();
    }

    /** The key of a stored variant: the same string as {@link #key(String, List, HttpFields)} for a request it serves. */
    private static String key(String context, List<Entry.VaryField> vary) {
        if (vary.isEmpty()) {
            return context;
        }
        StringBuilder key = new StringBuilder(context);
        for (Entry.VaryField field : vary) {
            appendField(key, field.name(), field.value());
        }
        return key.toString();
    }

    private static void appendField(StringBuilder key, String name, Optional<String> value) {
        key.append('\n').append(name).append(value.orElse("!")); // values start with '=' or '#'
    }
}
