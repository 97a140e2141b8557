package io.gatehouse.server.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Malformed requests made from valid ones: each case takes one of a few valid requests (and
 * sometimes a second one pipelined behind it) and applies one to three random mutations, biased
 * towards the head. A case depends only on the run's seed and its index, so any case can be made
 * again on its own.
 */
final class FuzzCases {

    /**
     * One case.
     *
     * @param index its number in the run, from 0
     * @param unfinished whether it is one of the unfinished heads
     * @param base the valid request it started from
     * @param mutations what was done to it, in order
     * @param bytes what is sent, ISO-8859-1
     */
    record Case(int index, boolean unfinished, String base, List<String> mutations, String bytes) {

        String describe(long seed) {
            String rerun = unfinished ? "unfinished head " + index + " (seed " + seed + ", rerun with -Dgatehouse.fuzz.seed=" + seed + ")"
                    : "case " + index + " (seed " + seed + ", rerun alone with -Dgatehouse.fuzz.seed=" + seed
                            + " -Dgatehouse.fuzz.case=" + index + ")";
            return rerun + ", from " + base + ", mutations " + mutations + ":\n" + Printable.of(bytes) + "\nas a Java literal: "
                    + Printable.javaLiteral(bytes);
        }
    }

    private static final char[] INTERESTING = {'\r', '\n', '\0', ' ', '\t', ':', '#', 0x80, 0xff, 0x7f, 0x0b, 0x0c, 0x1b,
        ';', '"', '\\', '/', '{', '(', ',', '=', '0', 'a', '?', '@', '%', '*'};
    private static final String[] BREAKS = {"\r\n", "\n", "\r", "\r\n\r\n", "\n\n", "\r\r\n", "\r\n "};
    private static final String[] LENGTHS = {"0", "1", "5", "6", "10", "11", "12", "99999999", "-1", "+11", " 11", "11 ", "0x0b",
        "011", "1 1", "11,11", "11, 11", "", "18446744073709551616", "5000", "1e1", "\u0661\u0661"};
    private static final String[] CHUNK_SIZES = {"0", "1", "4", "6", "a", "ff", "-1", "+5", " 5", "5 ", "0x5", "05",
        "fffffffffffffffff", "5;ext=\"q\"", "5;", "5\t;x", "5;a=b;c", "5 ;x", "5;\"", "5\r", "5\n"};
    private static final String[] FIELDS = {"Transfer-Encoding: chunked", "Content-Length: 0", "Content-Length: 5",
        "Transfer-Encoding: gzip, chunked", "Transfer-Encoding: chunked, identity", "Transfer-Encoding : chunked",
        "Transfer-Encoding:\tchunked", " Transfer-Encoding: chunked", "Transfer-Encoding: xchunked",
        "Transfer-Encoding: chunked\u000b", "Transfer-Encoding: \"chunked\"", "Transfer-Encoding: chunked, chunked",
        "Connection: close", "Connection: keep-alive, X-Case", "Connection: Host", "Connection: Content-Length",
        "Connection: Transfer-Encoding", "Expect: 100-continue", "Expect: 100-continue, x", "Host: b", "Host:", "Host: a b",
        "Host: a@b", "Upgrade: h2c", "Content-Length: 1, 1", "Keep-Alive: timeout=5", "Proxy-Connection: keep-alive",
        "TE: trailers", "X-Forwarded-For: 192.0.2.1", "Trailer: Content-Length", "Content-Length:", "Content-Length: 11\u0000",
        "X-\u00e9: v", "X-Long: " + "v".repeat(3000)};
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length:[ \t]*([^\r\n]*)");
    /** Where a head could end: a line feed followed by an empty line (bare LF or CRLF). */
    private static final Pattern HEAD_END = Pattern.compile("\n\r?\n");
    private static final Pattern CHUNK_SIZE = Pattern.compile("\r\n\r\n([0-9a-fA-F]+)(?:[^\r\n]*)\r\n|\r\n([0-9a-fA-F]+)\r\n");

    private final long seed;

    FuzzCases(long seed) {
        this.seed = seed;
    }

    /** @return case {@code index} of this run */
    Case make(int index) {
        return make(index, new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1))), "c" + index);
    }

    /**
     * @return case {@code index} of this run's unfinished heads: a mutated request cut before the
     *     first point where its head could end, so that no whole head is ever sent
     */
    Case unfinished(int index) {
        SplittableRandom random = new SplittableRandom(~seed ^ (0xC2B2AE3D27D4EB4FL * (index + 1)));
        Case whole = make(index, random, "t" + index);
        String bytes = whole.bytes();
        Matcher end = HEAD_END.matcher(bytes);
        int limit = end.find() ? end.start() + 1 : bytes.length();
        int cut = 1 + random.nextInt(limit);
        List<String> mutations = new ArrayList<>(whole.mutations());
        mutations.add("cut at " + cut);
        String prefix = bytes.substring(0, cut);
        return new Case(index, true, whole.base(), mutations, prefix);
    }

    private Case make(int index, SplittableRandom random, String id) {
        String[][] bases = bases(id);
        String[] base = bases[random.nextInt(bases.length)];
        String name = base[0];
        String bytes = base[1];
        if (random.nextInt(8) == 0) {
            String[] second = bases[random.nextInt(bases.length)];
            name = name + " + " + second[0];
            bytes = bytes + second[1];
        }
        List<String> mutations = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String[] mutated = mutate(bytes, random);
            mutations.add(mutated[0]);
            bytes = mutated[1];
        }
        return new Case(index, false, name, mutations, bytes);
    }

    /** @return {name, bytes} of each valid request */
    static String[][] bases(String id) {
        String marker = "X-Case: " + id + "\r\n";
        return new String[][] {
            {"GET with a query", "GET /fuzz/" + id + "?a=1&b=two%20words HTTP/1.1\r\nHost: fuzz.test\r\nUser-Agent: fuzz/1.0\r\n"
                    + "Accept: */*\r\n" + marker + "\r\n"},
            {"POST with Content-Length", "POST /fuzz/" + id + " HTTP/1.1\r\nHost: fuzz.test\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 11\r\n" + marker + "\r\nhello world"},
            {"POST chunked with trailers", "POST /fuzz/" + id + " HTTP/1.1\r\nHost: fuzz.test\r\nTransfer-Encoding: chunked\r\n"
                    + "Trailer: X-Checksum\r\n" + marker + "\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n"},
            {"POST chunked with extensions", "POST /fuzz/" + id + " HTTP/1.1\r\nHost: fuzz.test\r\nTransfer-Encoding: chunked\r\n"
                    + marker + "\r\n5;name=value\r\nhello\r\n6;q=\"x y\"\r\n world\r\n0\r\n\r\n"},
            {"HTTP/1.0 keep-alive GET", "GET /fuzz/" + id + " HTTP/1.0\r\nHost: fuzz.test\r\nConnection: keep-alive\r\n" + marker
                    + "\r\n"},
            {"PUT with an empty body", "PUT /fuzz/" + id + "/empty HTTP/1.1\r\nHost: fuzz.test\r\nContent-Length: 0\r\n" + marker
                    + "\r\n"},
            {"OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: fuzz.test\r\n" + marker + "\r\n"},
            {"absolute-form GET", "GET http://fuzz.test/fuzz/" + id + "?x=1 HTTP/1.1\r\nHost: fuzz.test\r\n" + marker + "\r\n"},
            {"POST expecting 100-continue", "POST /fuzz/" + id + " HTTP/1.1\r\nHost: fuzz.test\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 5\r\n" + marker + "\r\nhello"},
            {"DELETE closing", "DELETE /fuzz/" + id + " HTTP/1.1\r\nHost: fuzz.test\r\nConnection: close\r\n" + marker + "\r\n"},
            {"GET with many fields", "GET /fuzz/" + id + "/page HTTP/1.1\r\nHost: fuzz.test\r\nAccept-Language: en;q=0.5\r\n"
                    + "Cookie: a=1; b=2\r\nCache-Control: no-cache\r\nX-Tab:\tvalue\twith tabs\r\nX-Empty:\r\n" + marker + "\r\n"},
        };
    }

    private static String[] mutate(String bytes, SplittableRandom random) {
        int operation = random.nextInt(12);
        switch (operation) {
            case 0: {
                int at = position(bytes, random, true);
                char c = INTERESTING[random.nextInt(INTERESTING.length)];
                return done("insert " + Printable.of(String.valueOf(c)) + " at " + at, insert(bytes, at, String.valueOf(c)));
            }
            case 1: {
                int at = position(bytes, random, false);
                char c = INTERESTING[random.nextInt(INTERESTING.length)];
                return done("replace byte " + at + " with " + Printable.of(String.valueOf(c)),
                        bytes.substring(0, at) + c + bytes.substring(at + 1));
            }
            case 2: {
                int at = position(bytes, random, false);
                return done("delete byte " + at, bytes.substring(0, at) + bytes.substring(at + 1));
            }
            case 3: {
                int at = position(bytes, random, true);
                String lineBreak = BREAKS[random.nextInt(BREAKS.length)];
                return done("insert " + Printable.of(lineBreak) + " at " + at, insert(bytes, at, lineBreak));
            }
            case 4:
                return duplicateLine(bytes, random);
            case 5:
                return dropLine(bytes, random);
            case 6:
                return changeLength(bytes, random);
            case 7:
                return changeChunkSize(bytes, random);
            case 8: {
                String field = FIELDS[random.nextInt(FIELDS.length)];
                int at = bytes.indexOf("\r\n") + 2;
                return done("insert field " + Printable.of(field), insert(bytes, at, field + "\r\n"));
            }
            case 9: {
                int at = position(bytes, random, false);
                char c = bytes.charAt(at);
                char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                return done("flip case at " + at, bytes.substring(0, at) + flipped + bytes.substring(at + 1));
            }
            case 10: {
                int at = 1 + random.nextInt(bytes.length());
                return done("truncate at " + at, bytes.substring(0, at));
            }
            default: {
                int at = position(bytes, random, true);
                int length = 1 + random.nextInt(3);
                StringBuilder noise = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    noise.append((char) random.nextInt(256));
                }
                return done("insert bytes " + Printable.of(noise.toString()) + " at " + at, insert(bytes, at, noise.toString()));
            }
        }
    }

    private static String[] duplicateLine(String bytes, SplittableRandom random) {
        int[] line = someLine(bytes, random);
        String text = bytes.substring(line[0], line[1]);
        return done("duplicate line " + Printable.of(text), insert(bytes, line[1], text));
    }

    private static String[] dropLine(String bytes, SplittableRandom random) {
        int[] line = someLine(bytes, random);
        return done("drop line " + Printable.of(bytes.substring(line[0], line[1])),
                bytes.substring(0, line[0]) + bytes.substring(line[1]));
    }

    /** @return {start, end} of a line in the head, its line break included */
    private static int[] someLine(String bytes, SplittableRandom random) {
        int headEnd = headEnd(bytes);
        List<int[]> lines = new ArrayList<>();
        int start = 0;
        int next;
        while ((next = bytes.indexOf('\n', start)) >= 0 && next < headEnd) {
            lines.add(new int[] {start, next + 1});
            start = next + 1;
        }
        return lines.isEmpty() ? new int[] {0, bytes.length()} : lines.get(random.nextInt(lines.size()));
    }

    private static String[] changeLength(String bytes, SplittableRandom random) {
        Matcher matcher = CONTENT_LENGTH.matcher(bytes);
        String value = LENGTHS[random.nextInt(LENGTHS.length)];
        if (!matcher.find()) {
            return done("add Content-Length " + Printable.of(value), insert(bytes, bytes.indexOf("\r\n") + 2,
                    "Content-Length: " + value + "\r\n"));
        }
        return done("Content-Length " + Printable.of(value),
                bytes.substring(0, matcher.start(1)) + value + bytes.substring(matcher.end(1)));
    }

    private static String[] changeChunkSize(String bytes, SplittableRandom random) {
        Matcher matcher = CHUNK_SIZE.matcher(bytes);
        List<int[]> sizes = new ArrayList<>();
        while (matcher.find()) {
            int group = matcher.group(1) != null ? 1 : 2;
            sizes.add(new int[] {matcher.start(group), matcher.end(group)});
        }
        if (sizes.isEmpty()) {
            return changeLength(bytes, random);
        }
        int[] size = sizes.get(random.nextInt(sizes.size()));
        String value = CHUNK_SIZES[random.nextInt(CHUNK_SIZES.length)];
        return done("chunk size " + Printable.of(value), bytes.substring(0, size[0]) + value + bytes.substring(size[1]));
    }

    /** @return a position in {@code bytes}, in the head four times out of five */
    private static int position(String bytes, SplittableRandom random, boolean orEnd) {
        int limit = random.nextInt(5) == 0 ? bytes.length() : Math.min(bytes.length(), headEnd(bytes));
        int at = random.nextInt(Math.max(1, limit + (orEnd ? 1 : 0)));
        return Math.min(at, orEnd ? bytes.length() : bytes.length() - 1);
    }

    private static int headEnd(String bytes) {
        int end = bytes.indexOf("\r\n\r\n");
        return end < 0 ? bytes.length() : end + 4;
    }

    private static String insert(String bytes, int at, String text) {
        return bytes.substring(0, at) + text + bytes.substring(at);
    }

    private static String[] done(String description, String bytes) {
        return new String[] {description, bytes.isEmpty() ? "\r\n" : bytes};
    }
}
