package io.gatehouse.plugins.ipfilter;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An immutable set of IP addresses, made of CIDR blocks: the blocks of each family merged into
 * disjoint, sorted ranges, and an address looked up by binary search (about 20 comparisons for a
 * million blocks, no allocation beyond the address's bytes). IPv4 ranges are also indexed by the
 * upper 16 bits of their first address, so that the search starts among the few ranges of the
 * address's /16 (fewer cache misses on large lists). IPv4 and IPv6 are kept apart; an
 * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.7}) is looked up as the IPv4 address it maps.
 */
final class AddressSet {

    /**
     * The number of IPv4 ranges from which they are indexed by /16: the index takes 256 KiB, and a
     * shorter list fits in a few cache lines, where a plain binary search is as fast.
     */
    static final int INDEXED_FROM = 4096;

    // Range bounds are stored with the sign bit flipped, so that signed comparison orders them as unsigned.
    private final int[] v4First;
    private final int[] v4Last;
    private final int[] v4Buckets; // [b]: the first range whose first address is in /16 number b or later; empty: not indexed
    private final long[] v6FirstHigh;
    private final long[] v6FirstLow;
    private final long[] v6LastHigh;
    private final long[] v6LastLow;
    private final int blocks;

    private AddressSet(int[] v4First, int[] v4Last, long[] v6FirstHigh, long[] v6FirstLow, long[] v6LastHigh,
                       long[] v6LastLow, int blocks, int indexedFrom) {
        this.v4First = v4First;
        this.v4Last = v4Last;
        this.v4Buckets = v4First.length < indexedFrom ? new int[0] : buckets(v4First);
        this.v6FirstHigh = v6FirstHigh;
        this.v6FirstLow = v6FirstLow;
        this.v6LastHigh = v6LastHigh;
        this.v6LastLow = v6LastLow;
        this.blocks = blocks;
    }

    /** @return how many blocks were added (before merging) */
    int blocks() {
        return blocks;
    }

    /** @return how many disjoint ranges the blocks make */
    int ranges() {
        return v4First.length + v6FirstHigh.length;
    }

    /** @return whether no address is in the set */
    boolean isEmpty() {
        return ranges() == 0;
    }

    /**
     * @param address an IPv4 or IPv6 address
     * @return whether it lies in one of the blocks
     */
    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return containsIpv4(bytes, 0);
        }
        if (isIpv4Mapped(bytes)) {
            return containsIpv4(bytes, 12);
        }
        return containsIpv6(bigEndian(bytes, 0), bigEndian(bytes, 8));
    }

    /**
     * @param address an IPv4 address, unsigned in the low 32 bits
     * @return whether it lies in one of the blocks
     */
    boolean containsIpv4(long address) {
        int key = (int) address ^ Integer.MIN_VALUE;
        int[] first = v4First;
        int low = 0;
        int high = first.length - 1;
        if (v4Buckets.length > 0) {
            int bucket = (int) (address >>> 16);
            low = v4Buckets[bucket];
            high = v4Buckets[bucket + 1] - 1;
        }
        while (low <= high) { // the last range whose first address is <= key; else the one before the bucket
            int middle = (low + high) >>> 1;
            if (first[middle] <= key) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return high >= 0 && key <= v4Last[high];
    }

    private static int[] buckets(int[] first) {
        int[] buckets = new int[65_537];
        int range = 0;
        for (int bucket = 0; bucket <= 65_536; bucket++) {
            long bucketStart = (long) bucket << 16;
            while (range < first.length && ((first[range] ^ Integer.MIN_VALUE) & 0xffff_ffffL) < bucketStart) {
                range++;
            }
            buckets[bucket] = range;
        }
        return buckets;
    }

    /**
     * @param high upper 64 bits of an IPv6 address
     * @param low lower 64 bits
     * @return whether it lies in one of the blocks
     */
    boolean containsIpv6(long high, long low) {
        long keyHigh = high ^ Long.MIN_VALUE;
        long keyLow = low ^ Long.MIN_VALUE;
        int lo = 0;
        int hi = v6FirstHigh.length - 1;
        while (lo <= hi) {
            int middle = (lo + hi) >>> 1;
            long h = v6FirstHigh[middle];
            if (h < keyHigh || (h == keyHigh && v6FirstLow[middle] <= keyLow)) {
                lo = middle + 1;
            } else {
                hi = middle - 1;
            }
        }
        if (hi < 0) {
            return false;
        }
        long lastHigh = v6LastHigh[hi];
        return keyHigh < lastHigh || (keyHigh == lastHigh && keyLow <= v6LastLow[hi]);
    }

    private boolean containsIpv4(byte[] bytes, int offset) {
        long address = (bytes[offset] & 0xffL) << 24 | (bytes[offset + 1] & 0xffL) << 16
                | (bytes[offset + 2] & 0xffL) << 8 | (bytes[offset + 3] & 0xffL);
        return containsIpv4(address);
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static long bigEndian(byte[] bytes, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 8; i++) {
            value = value << 8 | (bytes[i] & 0xffL);
        }
        return value;
    }

    @Override
    public String toString() {
        return blocks + " block(s) in " + ranges() + " range(s)";
    }

    /** Collects blocks; not thread-safe. */
    static final class Builder {

        private long[] v4 = new long[16];  // first << 32 | last, unsigned
        private int v4Count;
        private long[] v6 = new long[16];  // firstHigh, firstLow, lastHigh, lastLow per block
        private int v6Count;
        private int blocks;

        Builder add(Cidr cidr) {
            blocks++;
            if (cidr.ipv4()) {
                if (v4Count == v4.length) {
                    v4 = Arrays.copyOf(v4, v4.length * 2);
                }
                v4[v4Count++] = cidr.firstIpv4() << 32 | cidr.lastIpv4();
            } else {
                if (v6Count * 4 == v6.length) {
                    v6 = Arrays.copyOf(v6, v6.length * 2);
                }
                int at = v6Count++ * 4;
                v6[at] = cidr.high();
                v6[at + 1] = cidr.low();
                v6[at + 2] = cidr.lastHigh();
                v6[at + 3] = cidr.lastLow();
            }
            return this;
        }

        AddressSet build() {
            return build(INDEXED_FROM);
        }

        /** @param indexedFrom the number of IPv4 ranges from which they are indexed (tests index small sets too) */
        AddressSet build(int indexedFrom) {
            long[] sorted = new long[v4Count];
            for (int i = 0; i < v4Count; i++) {
                sorted[i] = v4[i] ^ Long.MIN_VALUE; // sign bit flipped: a signed sort orders them as unsigned
            }
            Arrays.sort(sorted);
            int[] first = new int[sorted.length];
            int[] last = new int[sorted.length];
            int ranges = 0;
            for (long flipped : sorted) {
                long range = flipped ^ Long.MIN_VALUE;
                long start = range >>> 32;
                long end = range & 0xffff_ffffL;
                if (ranges > 0 && start <= ((last[ranges - 1] ^ Integer.MIN_VALUE) & 0xffff_ffffL) + 1) {
                    if (end > ((last[ranges - 1] ^ Integer.MIN_VALUE) & 0xffff_ffffL)) {
                        last[ranges - 1] = (int) end ^ Integer.MIN_VALUE;
                    }
                    continue;
                }
                first[ranges] = (int) start ^ Integer.MIN_VALUE;
                last[ranges] = (int) end ^ Integer.MIN_VALUE;
                ranges++;
            }
            return buildIpv6(Arrays.copyOf(first, ranges), Arrays.copyOf(last, ranges), indexedFrom);
        }

        private AddressSet buildIpv6(int[] v4First, int[] v4Last, int indexedFrom) {
            Integer[] order = new Integer[v6Count];
            for (int i = 0; i < v6Count; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int byHigh = Long.compareUnsigned(v6[a * 4], v6[b * 4]);
                return byHigh != 0 ? byHigh : Long.compareUnsigned(v6[a * 4 + 1], v6[b * 4 + 1]);
            });
            long[] firstHigh = new long[v6Count];
            long[] firstLow = new long[v6Count];
            long[] lastHigh = new long[v6Count];
            long[] lastLow = new long[v6Count];
            int ranges = 0;
            for (int i : order) {
                long fh = v6[i * 4];
                long fl = v6[i * 4 + 1];
                long lh = v6[i * 4 + 2];
                long ll = v6[i * 4 + 3];
                if (ranges > 0 && adjoinsOrOverlaps(lastHigh[ranges - 1], lastLow[ranges - 1], fh, fl)) {
                    if (compare(lh, ll, lastHigh[ranges - 1], lastLow[ranges - 1]) > 0) {
                        lastHigh[ranges - 1] = lh;
                        lastLow[ranges - 1] = ll;
                    }
                    continue;
                }
                firstHigh[ranges] = fh;
                firstLow[ranges] = fl;
                lastHigh[ranges] = lh;
                lastLow[ranges] = ll;
                ranges++;
            }
            return new AddressSet(v4First, v4Last, flip(firstHigh, ranges), flip(firstLow, ranges),
                    flip(lastHigh, ranges), flip(lastLow, ranges), blocks, indexedFrom);
        }

        /** Whether a range starting at (high, low) begins at or before the address after (lastHigh, lastLow). */
        private static boolean adjoinsOrOverlaps(long lastHigh, long lastLow, long high, long low) {
            if (lastHigh == -1L && lastLow == -1L) {
                return true; // the previous range reaches the end of the address space
            }
            long nextLow = lastLow + 1;
            long nextHigh = nextLow == 0 ? lastHigh + 1 : lastHigh;
            return compare(high, low, nextHigh, nextLow) <= 0;
        }

        private static int compare(long highA, long lowA, long highB, long lowB) {
            int byHigh = Long.compareUnsigned(highA, highB);
            return byHigh != 0 ? byHigh : Long.compareUnsigned(lowA, lowB);
        }

        private static long[] flip(long[] values, int count) {
            long[] flipped = new long[count];
            for (int i = 0; i < count; i++) {
                flipped[i] = values[i] ^ Long.MIN_VALUE;
            }
            return flipped;
        }
    }
}
