package io.gatehouse.server.tunnel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The origin's answer to an upgrade request, as read by the proxy itself (HttpCore's client
 * would go on parsing HTTP after a 101).
 *
 * @param status the status code
 * @param reason the reason phrase
 * @param fields the header fields, name and value, in order
 * @param length the bytes of the head, the empty line included
 */
public record OriginResponseHead(int status, String reason, List<Field> fields, int length) {

    /** One header field. @param name its name @param value its value */
    public record Field(String name, String value) {
    }

    /** Copies the list. */
    public OriginResponseHead {
        fields = List.copyOf(fields);
    }

    /**
     * @param bytes what the origin sent so far
     * @param count how many of {@code bytes} are filled
     * @return the head when it is complete, empty when more bytes are needed
     * @throws IllegalArgumentException when the bytes are not an HTTP/1.x response head
     */
    public static Optional<OriginResponseHead> parse(byte[] bytes, int count) {
        int end = -1;
        for (int i = 3; i < count; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                end = i + 1;
                break;
            }
        }
        if (end < 0) {
            return Optional.empty();
        }
        String[] lines = new String(bytes, 0, end - 4, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.") || !statusLine[1].matches("[1-5][0-9][0-9]")) {
            throw new IllegalArgumentException("not an HTTP/1.x status line");
        }
        List<Field> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0 || lines[i].charAt(0) == ' ' || lines[i].charAt(0) == '\t') {
                throw new IllegalArgumentException("malformed header field");
            }
            fields.add(new Field(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
        }
        return Optional.of(new OriginResponseHead(Integer.parseInt(statusLine[1]), statusLine.length > 2 ? statusLine[2] : "",
                fields, end));
    }

    /** @return the first value of the named field */
    public Optional<String> first(String name) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return Optional.of(field.value());
            }
        }
        return Optional.empty();
    }

    /** @return whether this is a 101 switching to WebSocket */
    public boolean switchesToWebSocket() {
        return status == 101 && first("Upgrade").map(v -> v.toLowerCase(Locale.ROOT).equals("websocket")).orElse(false);
    }
}
