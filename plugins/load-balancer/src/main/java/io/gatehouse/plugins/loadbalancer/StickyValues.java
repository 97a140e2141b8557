package io.gatehouse.plugins.loadbalancer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The sticky-cookie values of one cluster: {@code <endpoint id>.<MAC>}. The id is a keyed hash
 * (HMAC-SHA256) of the endpoint's address under the install's secret, so the address can neither
 * be read from it nor the id computed from a known address; the MAC, an HMAC-SHA256 of the
 * cluster's name and the id under the same secret, proves that this install issued the value.
 * A value that is not exactly one of the cluster's is ignored, so a client cannot choose an
 * endpoint by writing the cookie itself. Instances that share a secret issue and honour the same
 * values. Values are computed once; a lookup compares in constant time. Immutable.
 */
final class StickyValues {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int ID_CHARS = 16;   // 96 bits
    private static final int MAC_CHARS = 22;  // 132 bits
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<byte[]> values;

    /**
     * @param cluster the cluster's name
     * @param endpoints its endpoints, in index order
     * @param secret the install's secret
     */
    StickyValues(String cluster, List<Endpoint> endpoints, byte[] secret) {
        Mac mac = mac(secret);
        List<byte[]> computed = new ArrayList<>(endpoints.size());
        for (Endpoint endpoint : endpoints) {
            String id = encode(mac, "endpoint\n" + cluster + "\n" + endpoint.upstream(), ID_CHARS);
            String value = id + "." + encode(mac, "sticky\n" + cluster + "\n" + id, MAC_CHARS);
            computed.add(value.getBytes(StandardCharsets.US_ASCII));
        }
        this.values = List.copyOf(computed);
    }

    /** @return a new random secret of 32 bytes, for an install that configures none */
    static byte[] generatedSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** @return the cookie value that pins a client to {@code endpoint} */
    String valueOf(Endpoint endpoint) {
        return new String(values.get(endpoint.index()), StandardCharsets.US_ASCII);
    }

    /**
     * @param cookie the value the client sent
     * @param candidates the endpoints the request may go to now
     * @return the candidate the value names, empty when it names none (forged, tampered, another
     *     install's, or an endpoint that is not available)
     */
    Optional<Endpoint> endpointOf(String cookie, List<Endpoint> candidates) {
        byte[] sent = cookie.getBytes(StandardCharsets.US_ASCII);
        for (Endpoint endpoint : candidates) {
            if (MessageDigest.isEqual(sent, values.get(endpoint.index()))) {
                return Optional.of(endpoint);
            }
        }
        return Optional.empty();
    }

    private static Mac mac(byte[] secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e); // every Java SE runtime has it
        }
    }

    private static String encode(Mac mac, String input, int chars) {
        byte[] digest = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, chars);
    }
}
