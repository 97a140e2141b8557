package io.gatehouse.server.listener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a well-formed proxy→origin request looks like (RFC 9112 and RFC 9110, strictly, with
 * none of the leniency a server may grant): the {@link StrictOrigin}'s parser. Written
 * independently of the proxy's own parser, so that the two do not share a blind spot.
 */
final class StrictMessages {

    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";
    private static final Set<String> HOP_BY_HOP = Set.of("keep-alive", "proxy-connection", "upgrade", "te");
    private static final int MAX_LINE = 8192;

    private StrictMessages() {
    }

    /**
     * @param head a head ending with CRLF CRLF
     * @return what is wrong with it as a proxy→origin request head, or null
     */
    static String headViolation(String head) {
        String content = head.substring(0, head.length() - 4);
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '\r' && (i + 1 == content.length() || content.charAt(i + 1) != '\n')) {
                return "bare CR";
            }
            if (c == '\n' && (i == 0 || content.charAt(i - 1) != '\r')) {
                return "bare LF";
            }
        }
        String[] lines = content.split("\r\n", -1);
        String problem = requestLineViolation(lines[0]);
        if (problem != null) {
            return problem;
        }
        List<String[]> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] field = field(lines[i]);
            if (field.length == 1) {
                return field[0];
            }
            fields.add(field);
        }
        return fieldsViolation(fields);
    }

    private static String requestLineViolation(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3) {
            return "request line not three parts with single spaces";
        }
        if (!isToken(parts[0])) {
            return "method not a token";
        }
        String target = parts[1];
        if (target.equals("*")) {
            if (!parts[0].equals("OPTIONS")) {
                return "asterisk target on a method other than OPTIONS";
            }
        } else if (!target.startsWith("/")) {
            return "target not in origin form";
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                return "target with a character outside visible ASCII, or a fragment";
            }
        }
        if (!parts[2].equals("HTTP/1.1")) {
            return "version not HTTP/1.1";
        }
        return null;
    }

    /** @return {name, value}, or {problem} */
    private static String[] field(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return new String[] {"field line without a name"};
        }
        String name = line.substring(0, colon);
        if (!isToken(name)) {
            return new String[] {"field name not a token"};
        }
        String value = line.substring(colon + 1);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return new String[] {"control character in a field value"};
            }
        }
        return new String[] {name, value.strip()};
    }

    private static String fieldsViolation(List<String[]> fields) {
        int hosts = 0;
        int lengths = 0;
        int codings = 0;
        List<String> connectionOptions = new ArrayList<>();
        for (String[] field : fields) {
            String name = field[0].toLowerCase(Locale.ROOT);
            String value = field[1];
            switch (name) {
                case "host":
                    hosts++;
                    break;
                case "content-length":
                    lengths++;
                    if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        return "Content-Length not plain digits";
                    }
                    break;
                case "transfer-encoding":
                    codings++;
                    if (!value.equalsIgnoreCase("chunked")) {
                        return "Transfer-Encoding other than chunked";
                    }
                    break;
                case "connection":
                    for (String option : value.split(",")) {
                        connectionOptions.add(option.strip().toLowerCase(Locale.ROOT));
                    }
                    break;
                default:
                    if (HOP_BY_HOP.contains(name)) {
                        return "hop-by-hop field forwarded: " + name;
                    }
            }
        }
        for (String[] field : fields) {
            String name = field[0].toLowerCase(Locale.ROOT);
            if (!name.equals("connection") && connectionOptions.contains(name)) {
                return "field listed in Connection forwarded: " + name;
            }
        }
        if (hosts != 1) {
            return hosts + " Host fields";
        }
        if (lengths > 1 || codings > 1 || (lengths > 0 && codings > 0)) {
            return "ambiguous framing: " + lengths + " Content-Length, " + codings + " Transfer-Encoding";
        }
        return null;
    }

    static boolean expectsContinue(String head) {
        return head.toLowerCase(Locale.ROOT).contains("\r\nexpect: 100-continue\r\n");
    }

    /**
     * Reads the body of a head that passed {@link #headViolation}.
     *
     * @return the record, complete, truncated (the connection ended inside the body), or with a
     *     violation of the chunked framing
     */
    static OriginRecord readBody(OriginRecord record, InputStream in, int max) throws IOException {
        String lower = record.head().toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding:")) {
            return readChunked(record, in, max);
        }
        int at = lower.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return record.completed(new byte[0]);
        }
        long length = Long.parseLong(lower.substring(at + 17, lower.indexOf("\r\n", at + 2)).strip());
        if (length > max) {
            return record.withViolation("body longer than the proxy's limit: " + length);
        }
        byte[] body = in.readNBytes((int) length);
        return body.length < length ? record.truncated() : record.completed(body);
    }

    private static OriginRecord readChunked(OriginRecord record, InputStream in, int max) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = line(in);
            if (line == null) {
                return record.truncated();
            }
            if (line.isEmpty() || line.length() > 15 || !line.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return record.withViolation("chunk-size line not plain hex digits: " + Printable.of(line));
            }
            long size = Long.parseLong(line, 16);
            if (size == 0) {
                break;
            }
            if (body.size() + size > max) {
                return record.withViolation("chunked body longer than the proxy's limit");
            }
            byte[] data = in.readNBytes((int) size);
            if (data.length < size) {
                return record.truncated();
            }
            body.write(data);
            String end = line(in);
            if (end == null) {
                return record.truncated();
            }
            if (!end.isEmpty()) {
                return record.withViolation("chunk data not followed by CRLF");
            }
        }
        while (true) {
            String trailer = line(in);
            if (trailer == null) {
                return record.truncated();
            }
            if (trailer.isEmpty()) {
                return record.completed(body.toByteArray());
            }
            String[] field = field(trailer);
            if (field.length == 1) {
                return record.withViolation("trailer: " + field[0]);
            }
        }
    }

    /**
     * @return a line without its CRLF, or null at the end of the stream; a line ending in a bare
     *     LF, or holding a CR anywhere else, comes back with a bare CR or LF in it
     */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    return line.substring(0, n - 1);
                }
                return line.append('\n').toString();
            }
            line.append((char) b);
            if (line.length() > MAX_LINE) {
                return line.toString();
            }
        }
        return null;
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || TCHAR_SYMBOLS.indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }
}
