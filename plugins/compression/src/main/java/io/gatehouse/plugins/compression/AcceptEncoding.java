package io.gatehouse.plugins.compression;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Content negotiation by {@code Accept-Encoding} (RFC 9110 §12.5.3): each offered coding gets the
 * weight the client gave it (or {@code *}'s, or none: not acceptable); the heaviest acceptable
 * one wins, ties going to the server's order; {@code identity} wins over a coding the client
 * weighted lower. No field means no coding: clients that can decode say so.
 */
final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /**
     * @param fields the request's {@code Accept-Encoding} values (several fields are one list)
     * @param offered the codings the server may use, in its order of preference
     * @return the coding to use, or empty for the identity
     */
    static Optional<Coding> choose(List<String> fields, List<Coding> offered) {
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        double[] weights = new double[Coding.values().length];
        java.util.Arrays.fill(weights, -1);
        double star = -1;
        double identity = -1;
        for (String field : fields) {
            for (String member : field.split(",")) {
                String[] parts = member.split(";");
                String name = parts[0].trim().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                double q = weight(parts);
                if (name.equals("*")) {
                    star = q;
                } else if (name.equals("identity")) {
                    identity = q;
                } else {
                    Optional<Coding> coding = Coding.of(name);
                    if (coding.isPresent()) {
                        weights[coding.get().ordinal()] = Math.max(weights[coding.get().ordinal()], q);
                    }
                }
            }
        }
        Coding best = null;
        double bestWeight = 0;
        for (Coding coding : offered) {
            double q = weights[coding.ordinal()] >= 0 ? weights[coding.ordinal()] : star;
            if (q > bestWeight) {
                best = coding;
                bestWeight = q;
            }
        }
        if (best == null || identity > bestWeight) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /** @return the member's {@code q} (1 when absent); a malformed one counts as 0: not acceptable */
    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q') && parameter.charAt(1) == '=') {
                String value = parameter.substring(2).trim();
                if (!value.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
                    return 0;
                }
                return Double.parseDouble(value);
            }
        }
        return 1;
    }
}
