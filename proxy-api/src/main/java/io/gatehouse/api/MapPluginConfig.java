package io.gatehouse.api;

import io.gatehouse.api.internal.Units;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link PluginConfig} over plain Java maps and lists. */
final class MapPluginConfig implements PluginConfig {

    private final String path;
    private final Map<String, ?> values;

    MapPluginConfig(String path, Map<String, ?> values) {
        this.path = path;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    @Override
    public Set<String> keys() {
        return values.keySet();
    }

    @Override
    public boolean has(String key) {
        return values.get(key) != null;
    }

    @Override
    public String getString(String key) {
        return findString(key).orElseThrow(() -> new ConfigException(path(key), "required value is missing"));
    }

    @Override
    public Optional<String> findString(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(scalar(path(key), value));
    }

    @Override
    public int getInt(String key, int defaultValue) {
        Optional<String> text = findString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(text.get().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(path(key), "expected an integer, got \"" + text.get() + "\"");
        }
    }

    @Override
    public boolean getBoolean(String key, boolean defaultValue) {
        Optional<String> text = findString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        switch (text.get().trim()) {
            case "true": return true;
            case "false": return false;
            default: throw new ConfigException(path(key), "expected true or false, got \"" + text.get() + "\"");
        }
    }

    @Override
    public Duration getDuration(String key, Duration defaultValue) {
        Optional<String> text = findString(key);
        try {
            return text.isEmpty() ? defaultValue : Units.parseDuration(text.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path(key), e.getMessage());
        }
    }

    @Override
    public long getSize(String key, long defaultValue) {
        Optional<String> text = findString(key);
        try {
            return text.isEmpty() ? defaultValue : Units.parseSize(text.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path(key), e.getMessage());
        }
    }

    @Override
    public List<String> getStringList(String key) {
        List<?> elements = list(key);
        List<String> strings = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            strings.add(scalar(path(key) + "[" + i + "]", elements.get(i)));
        }
        return List.copyOf(strings);
    }

    @Override
    public Map<String, String> getStringMap(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new ConfigException(path(key), "expected a map of names to values");
        }
        Map<String, String> strings = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((name, element) ->
                strings.put(String.valueOf(name), scalar(path(key) + "." + name, element)));
        return Collections.unmodifiableMap(strings);
    }

    @Override
    public PluginConfig getSection(String key) {
        return section(path(key), values.get(key));
    }

    @Override
    public List<PluginConfig> getSectionList(String key) {
        List<?> elements = list(key);
        List<PluginConfig> sections = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            sections.add(section(path(key) + "[" + i + "]", elements.get(i)));
        }
        return List.copyOf(sections);
    }

    private List<?> list(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        return value instanceof List ? (List<?>) value : List.of(value);
    }

    @SuppressWarnings("unchecked")
    private static PluginConfig section(String path, Object value) {
        if (value == null) {
            return new MapPluginConfig(path, Map.of());
        }
        if (!(value instanceof Map)) {
            throw new ConfigException(path, "expected a section (key: value pairs), got \"" + value + "\"");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        ((Map<Object, Object>) value).forEach((k, v) -> copy.put(String.valueOf(k), v));
        return new MapPluginConfig(path, copy);
    }

    private static String scalar(String path, Object value) {
        if (value instanceof Map || value instanceof List) {
            throw new ConfigException(path, "expected a single value, got a " + (value instanceof Map ? "section" : "list"));
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return path + values;
    }
}
