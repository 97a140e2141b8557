package io.gatehouse.plugins.cors;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import org.pf4j.Extension;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code cors} filter: the Fetch standard's CORS protocol at the edge. Preflights are
 * answered here and never reach the origin; responses to allowed origins get their
 * {@code Access-Control-*} fields.
 *
 * <pre>
 * - type: cors
 *   config:
 *     allow-origins: [ "https://app.example.com", "https://*.example.com" ]
 *     allow-methods: [ GET, POST, PUT ]
 *     allow-headers: [ Content-Type, Authorization ]
 *     allow-credentials: true
 *     max-age: 10m
 * </pre>
 */
@Extension
public final class CorsFilterFactory implements ProxyFilterFactory<CorsConfig> {

    private static final Set<String> KEYS = Set.of("allow-origins", "allow-origin-patterns", "allow-methods", "allow-headers",
            "expose-headers", "allow-credentials", "max-age", "allow-private-network");
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
    private static final Duration LONGEST_MAX_AGE = Duration.ofDays(1);
    /** Origins no operator lists: a pattern that matches them matches anybody's. */
    private static final List<String> ANYBODY = List.of("https://gatehouse-probe.invalid", "http://gatehouse-probe.invalid", "null");

    @Override
    public String type() {
        return "cors";
    }

    @Override
    public CorsConfig parseConfig(PluginConfig config) {
        config.requireKnownKeys(KEYS);
        boolean credentials = config.getBoolean("allow-credentials", false);
        AllowedOrigins origins = origins(config, credentials);

        List<String> methodList = config.has("allow-methods") ? config.getStringList("allow-methods") : List.of("GET", "HEAD", "POST");
        boolean anyMethod = wildcard(config, "allow-methods", methodList);
        Set<String> methods = tokens(config, "allow-methods", anyMethod ? List.of() : methodList);
        if (methodList.isEmpty()) {
            throw new ConfigException(config.path("allow-methods"), "list at least one method (or \"*\")");
        }

        List<String> headerList = config.getStringList("allow-headers");
        boolean anyHeader = wildcard(config, "allow-headers", headerList);
        Set<String> headers = tokens(config, "allow-headers", anyHeader ? List.of() : headerList);

        List<String> exposeList = config.getStringList("expose-headers");
        boolean exposeAll = wildcard(config, "expose-headers", exposeList);
        if (exposeAll && credentials) {
            throw new ConfigException(config.path("expose-headers"),
                    "\"*\" exposes nothing to credentialed requests (browsers read it as a header named *): list the headers");
        }
        Optional<String> exposeValue = exposeAll ? Optional.of("*") : joined(tokens(config, "expose-headers", exposeList));

        Optional<String> maxAge = config.findString("max-age").map(text -> {
            Duration age = config.getDuration("max-age", Duration.ZERO);
            if (age.isNegative() || age.compareTo(LONGEST_MAX_AGE) > 0) {
                throw new ConfigException(config.path("max-age"), "must be between 0s and 24h, got \"" + text + "\"");
            }
            return Long.toString(age.toSeconds());
        });
        return new CorsConfig(origins, anyMethod, Set.copyOf(methods), String.join(", ", methods), anyHeader,
                lowerCase(headers), joined(headers), exposeValue, credentials, maxAge,
                config.getBoolean("allow-private-network", false));
    }

    private static AllowedOrigins origins(PluginConfig config, boolean credentials) {
        List<String> listed = config.getStringList("allow-origins");
        List<String> patternTexts = config.getStringList("allow-origin-patterns");
        if (listed.isEmpty() && patternTexts.isEmpty()) {
            throw new ConfigException(config.path("allow-origins"), "required: the origins that may read responses (or \"*\")");
        }
        boolean any = false;
        Set<String> exact = new LinkedHashSet<>();
        List<WildcardOrigin> wildcards = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            String key = config.path("allow-origins") + "[" + i + "]";
            String origin = listed.get(i).strip();
            if (origin.equals("*")) {
                if (credentials) {
                    throw new ConfigException(key, "\"*\" together with allow-credentials: true would let every site read "
                            + "its visitors' credentialed responses; list the origins instead");
                }
                any = true;
            } else if (origin.equals("null")) {
                if (credentials) {
                    throw new ConfigException(key, "\"null\" together with allow-credentials: true: any page can send "
                            + "Origin: null (a sandboxed iframe), so it would be any site");
                }
                exact.add(origin);
            } else if (origin.contains("://*.")) {
                wildcards.add(wildcard(key, origin));
            } else {
                exact.add(serialized(key, origin));
            }
        }
        if (any && (listed.size() > 1 || !patternTexts.isEmpty())) {
            throw new ConfigException(config.path("allow-origins"), "\"*\" allows every origin: list nothing else");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (int i = 0; i < patternTexts.size(); i++) {
            String key = config.path("allow-origin-patterns") + "[" + i + "]";
            Pattern pattern;
            try {
                pattern = Pattern.compile(patternTexts.get(i));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(key, "not a regular expression: " + e.getDescription());
            }
            if (credentials && ANYBODY.stream().anyMatch(probe -> pattern.matcher(probe).matches())) {
                throw new ConfigException(key, "matches any origin, which allow-credentials: true must not allow");
            }
            patterns.add(pattern);
        }
        return new AllowedOrigins(any, exact, wildcards, patterns);
    }

    /** An exact origin, in the form browsers send: lower-case scheme and host, no default port, nothing else. */
    private static String serialized(String key, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "not an origin such as https://app.example.com: \"" + text + "\"");
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !SCHEME.matcher(uri.getScheme().toLowerCase(Locale.ROOT)).matches()) {
            throw new ConfigException(key, "not an origin such as https://app.example.com (scheme and host, optional port, "
                    + "no path): \"" + text + "\"");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port < 0 || defaultPort ? "" : ":" + port);
    }

    private static WildcardOrigin wildcard(String key, String text) {
        int star = text.indexOf("://*.");
        String rest = text.substring(star + 5);
        if (rest.contains("*") || rest.isEmpty()) {
            throw new ConfigException(key, "a wildcard origin has one * as its first label, such as https://*.example.com: \"" + text + "\"");
        }
        String base = serialized(key, text.substring(0, star) + "://" + rest);
        String scheme = base.substring(0, base.indexOf("://") + 3);
        return new WildcardOrigin(scheme, "." + base.substring(scheme.length()));
    }

    private static boolean wildcard(PluginConfig config, String key, List<String> values) {
        if (!values.contains("*")) {
            return false;
        }
        if (values.size() > 1) {
            throw new ConfigException(config.path(key), "\"*\" allows all: list nothing else");
        }
        return true;
    }

    private static Set<String> tokens(PluginConfig config, String key, List<String> values) {
        Set<String> tokens = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i).strip();
            if (!Tokens.isToken(value) || value.equals("*")) {
                throw new ConfigException(config.path(key) + "[" + i + "]", "not a method or header name: \"" + value + "\"");
            }
            tokens.add(value);
        }
        return tokens;
    }

    private static Set<String> lowerCase(Set<String> names) {
        Set<String> lower = new LinkedHashSet<>();
        names.forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
        return Set.copyOf(lower);
    }

    private static Optional<String> joined(Set<String> values) {
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    @Override
    public ProxyFilter create(CorsConfig config, FilterContext context) {
        return new CorsFilter(config, context);
    }
}
