package io.gatehouse.server.admin;

import io.gatehouse.server.config.ConfigDocument;
import io.gatehouse.server.config.FilterSpec;
import io.gatehouse.server.config.GatehouseConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The configuration in effect, for {@code GET /config}: the tree as read (from the file of the last
 * start or reload), with every value under a key named like a secret replaced by {@code
 * "(redacted)"}, and passwords in URLs masked; without a tree (embedded use), a summary of the
 * validated settings.
 */
public final class EffectiveConfig {

    /** The text that replaces a secret. */
    public static final String REDACTED = "(redacted)";

    private static final Pattern SECRET_NAME = Pattern.compile(".*(secret|password|passwd|token|credential|private|key)$"
            + "|.*(secret|password|token|credential|private).*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]*@");

    private EffectiveConfig() {
    }

    /**
     * @param document the configuration in effect
     * @return the fields of {@code GET /config}
     */
    public static Map<String, Object> of(ConfigDocument document) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (!document.tree().isEmpty()) {
            answer.put("config", redact(document.tree()));
            return answer;
        }
        GatehouseConfig config = document.config();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("listen", config.listenAddresses().stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
        server.put("upstream", config.upstream().map(Object::toString));
        List<Object> filters = new ArrayList<>();
        for (FilterSpec spec : config.filters()) {
            filters.add(Map.of("name", spec.name(), "type", spec.type()));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("server", server);
        summary.put("filters", filters);
        answer.put("config", summary);
        return answer;
    }

    /**
     * @param node a tree of maps, lists and scalars
     * @return a copy with secrets redacted
     */
    static Object redact(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                copy.put(key, isSecret(key) && entry.getValue() != null ? REDACTED : redact(entry.getValue()));
            }
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(EffectiveConfig::redact).toList();
        }
        if (node instanceof String text) {
            return URL_USER_INFO.matcher(text).replaceAll("$1" + REDACTED + "@");
        }
        return node;
    }

    static boolean isSecret(String key) {
        return SECRET_NAME.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }
}
