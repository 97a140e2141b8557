package io.gatehouse.server.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code -----BEGIN X-----} blocks of a PEM text, decoded, in file order. */
final class PemBlocks {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /**
     * One block.
     *
     * @param label the label, e.g. {@code CERTIFICATE}, {@code PRIVATE KEY}
     * @param der the decoded content
     */
    record Block(String label, byte[] der) {
    }

    private PemBlocks() {
    }

    /**
     * @param text the PEM text
     * @return its blocks; empty when it has none
     * @throws IllegalArgumentException when a block's base64 is broken
     */
    static List<Block> parse(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            String base64 = matcher.group(2).replaceAll("\\s", "");
            try {
                blocks.add(new Block(matcher.group(1), Base64.getDecoder().decode(base64)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("broken base64 in the " + matcher.group(1) + " block");
            }
        }
        return blocks;
    }
}
