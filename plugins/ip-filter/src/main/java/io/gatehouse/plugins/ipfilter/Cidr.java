package io.gatehouse.plugins.ipfilter;

/**
 * One IP address or CIDR block of a list, parsed strictly: dotted-quad IPv4 ({@code 10.0.0.0/8},
 * {@code 192.0.2.7}) or RFC 4291 IPv6 ({@code 2001:db8::/32}, {@code ::1}, {@code ::ffff:192.0.2.7}),
 * never a host name, never the short IPv4 forms ({@code 10.1}) or octal and hex parts that some
 * parsers accept. An IPv4-mapped IPv6 address or block ({@code ::ffff:10.0.0.0/104}) is its IPv4
 * address or block, as nginx treats a mapped client address.
 *
 * <p>An IPv4 block is held in {@code low} (the address, unsigned, in its low 32 bits); an IPv6
 * block in {@code high} and {@code low} (the 128 bits, high first).
 *
 * @param ipv4 whether it is an IPv4 block
 * @param high the upper 64 bits of an IPv6 address, 0 for IPv4
 * @param low the lower 64 bits of an IPv6 address, or the IPv4 address
 * @param prefix the prefix length (32 or 128 for a single address)
 */
record Cidr(boolean ipv4, long high, long low, int prefix) {

    private static final long MAPPED_PREFIX = 0xffffL; // ::ffff:0:0/96, the upper 32 bits of the low half

    /**
     * Parses one entry.
     *
     * @param text an address or block, without surrounding spaces
     * @return the block, IPv4-mapped IPv6 turned into IPv4
     * @throws IllegalArgumentException with a message fit for an operator when it is not one
     */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (address.indexOf(':') >= 0) {
            long[] bits = parseIpv6(address);
            int prefix = slash < 0 ? 128 : prefixLength(text.substring(slash + 1), 128);
            checkHostBits(bits[0], bits[1], prefix, 128);
            if (bits[0] == 0 && (bits[1] >>> 32) == MAPPED_PREFIX && prefix >= 96) {
                return new Cidr(true, 0, bits[1] & 0xffff_ffffL, prefix - 96);
            }
            return new Cidr(false, bits[0], bits[1], prefix);
        }
        long ipv4 = parseIpv4(address);
        int prefix = slash < 0 ? 32 : prefixLength(text.substring(slash + 1), 32);
        checkHostBits(0, ipv4, prefix, 32);
        return new Cidr(true, 0, ipv4, prefix);
    }

    /** @return the first IPv4 address of the block, unsigned */
    long firstIpv4() {
        return low;
    }

    /** @return the last IPv4 address of the block, unsigned */
    long lastIpv4() {
        return low | (prefix == 0 ? 0xffff_ffffL : (1L << (32 - prefix)) - 1);
    }

    /** @return the last IPv6 address of the block, upper 64 bits */
    long lastHigh() {
        return prefix >= 64 ? high : high | (prefix == 0 ? -1L : -1L >>> prefix);
    }

    /** @return the last IPv6 address of the block, lower 64 bits */
    long lastLow() {
        if (prefix <= 64) {
            return -1L;
        }
        return prefix == 128 ? low : low | (-1L >>> (prefix - 64));
    }

    private static int prefixLength(String text, int max) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new IllegalArgumentException("expected a prefix length from 0 to " + max + " after /, got \"" + text + "\"");
        }
        int prefix = Integer.parseInt(text);
        if (prefix > max) {
            throw new IllegalArgumentException("expected a prefix length from 0 to " + max + " after /, got \"" + text + "\"");
        }
        return prefix;
    }

    private static void checkHostBits(long high, long low, int prefix, int width) {
        int hostBits = width - prefix;
        long highHost = hostBits <= 64 ? 0 : (hostBits >= 128 ? -1L : -1L >>> (128 - hostBits));
        long lowHost = hostBits == 0 ? 0 : (hostBits >= 64 ? -1L : (1L << hostBits) - 1);
        if ((high & highHost) != 0 || (low & lowHost) != 0) {
            String hint = width == 32 ? " (the block is " + ipv4Text(low & ~lowHost) + "/" + prefix + ")" : "";
            throw new IllegalArgumentException("address bits set after the prefix length /" + prefix + hint);
        }
    }

    static String ipv4Text(long address) {
        return (address >>> 24 & 0xff) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    /** Dotted quad, four decimal parts 0-255 without leading zeros; unsigned 32 bits. */
    static long parseIpv4(String text) {
        long address = 0;
        int parts = 0;
        int i = 0;
        int length = text.length();
        while (i <= length) {
            int start = i;
            int value = 0;
            while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    throw notAnAddress(text);
                }
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0') || parts == 4) {
                throw notAnAddress(text);
            }
            address = address << 8 | value;
            parts++;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != '.') {
                throw notAnAddress(text);
            }
            i++;
            if (i == length) {
                throw notAnAddress(text);
            }
        }
        if (parts != 4) {
            throw notAnAddress(text);
        }
        return address;
    }

    /** RFC 4291 §2.2 text: up to eight groups of 1-4 hex digits, one "::", an IPv4 tail; no zone. */
    static long[] parseIpv6(String text) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int length = text.length();
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (text.startsWith(":")) {
            throw notAnAddress(text);
        }
        while (i < length) {
            int start = i;
            int value = 0;
            while (i < length && Character.digit(text.charAt(i), 16) >= 0 && i - start < 5) {
                value = value << 4 | Character.digit(text.charAt(i), 16);
                i++;
            }
            int digits = i - start;
            if (i < length && text.charAt(i) == '.') {
                // an IPv4 tail takes the last two groups
                if (count > 6 || (gap >= 0 && count > 5)) {
                    throw notAnAddress(text);
                }
                long ipv4;
                try {
                    ipv4 = parseIpv4(text.substring(start));
                } catch (IllegalArgumentException e) {
                    throw notAnAddress(text);
                }
                groups[count++] = (int) (ipv4 >>> 16);
                groups[count++] = (int) (ipv4 & 0xffff);
                i = length;
                break;
            }
            if (digits == 0 || digits > 4 || count == 8) {
                throw notAnAddress(text);
            }
            groups[count++] = value;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != ':') {
                throw notAnAddress(text);
            }
            i++;
            if (i < length && text.charAt(i) == ':') {
                if (gap >= 0) {
                    throw notAnAddress(text);
                }
                gap = count;
                i++;
            } else if (i == length) {
                throw notAnAddress(text);
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            throw notAnAddress(text);
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long high = 0;
        long low = 0;
        for (int g = 0; g < 4; g++) {
            high = high << 16 | full[g];
            low = low << 16 | full[g + 4];
        }
        return new long[] {high, low};
    }

    private static IllegalArgumentException notAnAddress(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return new IllegalArgumentException("not an IP address or CIDR block: \"" + shown + "\"");
    }

    @Override
    public String toString() {
        return ipv4 ? ipv4Text(low) + "/" + prefix : Long.toHexString(high) + ":" + Long.toHexString(low) + "/" + prefix;
    }
}
