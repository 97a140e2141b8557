package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The request fields the cache reads on every request, found in one pass over the request head
 * instead of one lookup each (the hit path's largest cost after the answer itself).
 */
final class RequestFields {

    private List<String> cacheControl = List.of();
    private boolean pragmaNoCache;
    private boolean range;
    private boolean conditional;
    private Optional<String> refreshMarker = Optional.empty();
    private List<String> forwardedProto = List.of();
    private List<String> forwardedHost = List.of();
    private List<String> forwarded = List.of();

    private RequestFields() {
    }

    /** @return the fields of {@code headers} the cache reads */
    static RequestFields read(HttpFields headers) {
        RequestFields fields = new RequestFields();
        headers.forEach(fields::see);
        return fields;
    }

    private void see(String name, String value) {
        switch (name.length()) {
            case 5 -> range |= name.equalsIgnoreCase("Range");
            case 6 -> pragmaNoCache |= name.equalsIgnoreCase("Pragma") && value.contains("no-cache");
            case 8 -> conditional |= name.equalsIgnoreCase("If-Match") || name.equalsIgnoreCase("If-Range");
            case 9 -> forwarded = name.equalsIgnoreCase("Forwarded") ? with(forwarded, value) : forwarded;
            case 13 -> {
                if (name.equalsIgnoreCase("Cache-Control")) {
                    cacheControl = with(cacheControl, value);
                } else {
                    conditional |= name.equalsIgnoreCase("If-None-Match");
                }
            }
            case 16 -> forwardedHost = name.equalsIgnoreCase("X-Forwarded-Host") ? with(forwardedHost, value) : forwardedHost;
            case 17 -> {
                if (name.equalsIgnoreCase("X-Forwarded-Proto")) {
                    forwardedProto = with(forwardedProto, value);
                } else {
                    conditional |= name.equalsIgnoreCase("If-Modified-Since");
                }
            }
            case 19 -> conditional |= name.equalsIgnoreCase("If-Unmodified-Since");
            default -> {
                if (refreshMarker.isEmpty() && name.length() == BackgroundRefresh.MARKER.length()
                        && name.equalsIgnoreCase(BackgroundRefresh.MARKER)) {
                    refreshMarker = Optional.of(value);
                }
            }
        }
    }

    private static List<String> with(List<String> values, String value) {
        if (values.isEmpty()) {
            return List.of(value);
        }
        List<String> more = new ArrayList<>(values);
        more.add(value);
        return List.copyOf(more);
    }

    /** @return the {@code Cache-Control} lines */
    List<String> cacheControl() {
        return cacheControl;
    }

    /** @return whether a {@code Pragma} line says {@code no-cache} */
    boolean pragmaNoCache() {
        return pragmaNoCache;
    }

    /** @return whether it has a {@code Range} field */
    boolean range() {
        return range;
    }

    /** @return whether it has a conditional field ({@code If-None-Match}, {@code If-Modified-Since}, ...) */
    boolean conditional() {
        return conditional;
    }

    /** @return the value of the background refresh's marker field, if any */
    Optional<String> refreshMarker() {
        return refreshMarker;
    }

    List<String> forwardedProto() {
        return forwardedProto;
    }

    List<String> forwardedHost() {
        return forwardedHost;
    }

    List<String> forwarded() {
        return forwarded;
    }
}
