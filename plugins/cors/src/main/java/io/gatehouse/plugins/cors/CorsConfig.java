package io.gatehouse.plugins.cors;

import java.util.Optional;
import java.util.Set;

/**
 * The validated config of one {@code cors} entry, with the header values it sends prepared once.
 *
 * @param origins the origins that may read responses
 * @param anyMethod whether any method may be used ({@code allow-methods: ["*"]})
 * @param methods the methods that may be used, case-sensitive as the Fetch standard compares them
 * @param allowMethodsValue the {@code Access-Control-Allow-Methods} value (unless {@code anyMethod})
 * @param anyHeader whether any request header may be sent ({@code allow-headers: ["*"]})
 * @param headers the request headers that may be sent, lower case
 * @param allowHeadersValue the {@code Access-Control-Allow-Headers} value (unless {@code anyHeader}), empty for none
 * @param exposeHeadersValue the {@code Access-Control-Expose-Headers} value, empty for none
 * @param credentials whether credentialed requests may read responses
 * @param maxAgeValue the {@code Access-Control-Max-Age} value in seconds, empty to send none
 * @param privateNetwork whether a preflight asking for private-network access is granted it
 */
record CorsConfig(AllowedOrigins origins, boolean anyMethod, Set<String> methods, String allowMethodsValue,
                  boolean anyHeader, Set<String> headers, Optional<String> allowHeadersValue,
                  Optional<String> exposeHeadersValue, boolean credentials, Optional<String> maxAgeValue,
                  boolean privateNetwork) {
}
