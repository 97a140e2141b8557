package io.gatehouse.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The rules behind {@link PluginConfig}'s validated accessors, in one place. */
final class ConfigRules {

    private ConfigRules() {
    }

    static void checkDefault(double defaultValue, double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " is above max " + max);
        }
        if (defaultValue < min || defaultValue > max) {
            throw new IllegalArgumentException("the default " + defaultValue + " is outside " + min + " to " + max);
        }
    }

    static void checkDefault(long defaultValue, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " is above max " + max);
        }
        if (defaultValue < min || defaultValue > max) {
            throw new IllegalArgumentException("the default " + defaultValue + " is outside " + min + " to " + max);
        }
    }

    /** "must be at least 1", "must not be negative", "must be between 1 and 1000", ... */
    static String range(long min, long max, long lowest, long highest) {
        if (max == highest) {
            return min == 0 ? "must not be negative" : "must be at least " + min;
        }
        if (min == lowest) {
            return "must be at most " + max;
        }
        return "must be between " + min + " and " + max;
    }

    static String sizeRange(long min, long max) {
        if (max == Long.MAX_VALUE) {
            return min <= 0 ? "must not be negative" : "must be at least " + size(min);
        }
        return "must be between " + size(min) + " and " + size(max);
    }

    /** A size in the largest binary unit that divides it: {@code 16MiB}, {@code 1500B}. */
    static String size(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        long[] factors = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % factors[i] == 0) {
                return bytes / factors[i] + units[i];
            }
        }
        return bytes + "B";
    }

    static double percent(String key, String text) {
        String number = text.trim();
        if (number.endsWith("%")) {
            number = number.substring(0, number.length() - 1).trim();
        }
        if (!isDecimal(number)) {
            throw new ConfigException(key, "must be a percentage from 0 to 100 (such as 10, 2.5 or 50%), got \"" + text + "\"");
        }
        double value = Double.parseDouble(number);
        if (value > 100) {
            throw new ConfigException(key, "must be a percentage from 0 to 100, got \"" + text + "\"");
        }
        return value;
    }

    /** Digits, optionally with one decimal point between digits. */
    private static boolean isDecimal(String text) {
        int digits = 0;
        int point = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && point < 0 && i > 0 && i < text.length() - 1) {
                point = i;
            } else {
                return false;
            }
        }
        return digits > 0 && digits <= 12;
    }

    static Upstream upstream(String key, String url) {
        try {
            return Upstream.parse(url);
        } catch (IllegalArgumentException e) {
            String trimmed = url.trim();
            if (!trimmed.regionMatches(true, 0, "http://", 0, 7) && !trimmed.regionMatches(true, 0, "https://", 0, 8)) {
                throw new ConfigException(key, "expected an http or https URL such as http://10.0.0.1:8080, got \"" + url + "\"");
            }
            throw new ConfigException(key, e.getMessage());
        }
    }

    static <E extends Enum<E>> E constant(String key, String text, Class<E> type) {
        String wanted = text.trim().replace('-', '_');
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
            allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new ConfigException(key, "expected one of " + String.join(", ", allowed) + ", got \"" + text + "\"");
    }
}
