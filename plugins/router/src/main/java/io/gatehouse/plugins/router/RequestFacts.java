package io.gatehouse.plugins.router;

import io.gatehouse.api.HttpFields;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the router matches a request on: method, normalised host and path, query and headers.
 * The query is split into parameters only when a route asks for one.
 */
final class RequestFacts {

    private final String method;
    private final String host;
    private final String path;
    private final String rawQuery;
    private final HttpFields headers;
    private Map<String, List<String>> query;

    /**
     * @param method request method
     * @param host normalised host ({@link HostPattern#normalize})
     * @param path normalised path ({@link io.gatehouse.api.http.PathNormalizer#normalize}), or {@code *}
     * @param rawQuery the query without {@code ?}, empty when none
     * @param headers the request headers
     */
    RequestFacts(String method, String host, String path, String rawQuery, HttpFields headers) {
        this.method = method;
        this.host = host;
        this.path = path;
        this.rawQuery = rawQuery;
        this.headers = headers;
    }

    String method() {
        return method;
    }

    String host() {
        return host;
    }

    String path() {
        return path;
    }

    String rawQuery() {
        return rawQuery;
    }

    List<String> header(String name) {
        return headers.all(name);
    }

    /**
     * @param name parameter name
     * @return its decoded values ({@code +} as space, as in HTML forms), empty when absent
     */
    List<String> queryParameter(String name) {
        if (query == null) {
            query = parseQuery(rawQuery);
        }
        return query.getOrDefault(name, List.of());
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> parameters = new HashMap<>();
        if (raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return parameters;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a bad escape is compared as written
        }
    }
}
