package io.gatehouse.plugins.ipfilter;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merged range set against a naive matcher that tests every block with a mask, on generated
 * lists of IPv4 and IPv6 blocks (drawn from small pools of prefixes so that they overlap, nest and
 * adjoin) and addresses drawn near the blocks' edges as well as at random.
 */
class AddressSetProperties {

    record Block(boolean ipv4, BigInteger address, int prefix) {
        int width() {
            return ipv4 ? 32 : 128;
        }

        BigInteger first() {
            return address.shiftRight(width() - prefix).shiftLeft(width() - prefix);
        }

        BigInteger last() {
            return first().add(BigInteger.ONE.shiftLeft(width() - prefix)).subtract(BigInteger.ONE);
        }

        String text() {
            return toText(ipv4, first()) + "/" + prefix;
        }
    }

    record Probe(boolean ipv4, BigInteger address) {
    }

    @Property(tries = 300)
    void theRangeSetAgreesWithANaiveScan(@ForAll("blocks") List<Block> blocks, @ForAll("probes") List<Probe> randomProbes)
            throws UnknownHostException {
        AddressSet.Builder builder = new AddressSet.Builder();
        blocks.forEach(block -> builder.add(Cidr.parse(block.text())));
        AddressSet set = builder.build();
        AddressSet indexed = builder.build(0); // the /16 index, used from 4,096 IPv4 ranges on, on every list here

        List<Probe> probes = new ArrayList<>(randomProbes);
        for (Block block : blocks) { // the edges: first, last, and the addresses just outside
            BigInteger max = BigInteger.ONE.shiftLeft(block.width()).subtract(BigInteger.ONE);
            for (BigInteger edge : List.of(block.first(), block.last(), block.first().subtract(BigInteger.ONE), block.last().add(BigInteger.ONE))) {
                if (edge.signum() >= 0 && edge.compareTo(max) <= 0) {
                    probes.add(new Probe(block.ipv4(), edge));
                }
            }
        }
        for (Probe probe : probes) {
            boolean naive = blocks.stream().anyMatch(block -> block.ipv4() == probe.ipv4()
                    && probe.address().compareTo(block.first()) >= 0 && probe.address().compareTo(block.last()) <= 0);
            InetAddress address = InetAddress.getByName(toText(probe.ipv4(), probe.address()));
            assertThat(set.contains(address)).as("%s in %s", address, blocks).isEqualTo(naive);
            assertThat(indexed.contains(address)).as("%s in %s, indexed", address, blocks).isEqualTo(naive);
        }
    }

    @Provide
    Arbitrary<List<Block>> blocks() {
        Arbitrary<Block> ipv4 = Combinators.combine(ipv4Address(), Arbitraries.integers().between(0, 32))
                .as((address, prefix) -> new Block(true, address, prefix));
        Arbitrary<Block> ipv6 = Combinators.combine(ipv6Address(), Arbitraries.integers().between(0, 128))
                .as((address, prefix) -> new Block(false, address, prefix));
        return Arbitraries.oneOf(ipv4, ipv6).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Probe>> probes() {
        return Arbitraries.oneOf(ipv4Address().map(a -> new Probe(true, a)), ipv6Address().map(a -> new Probe(false, a)))
                .list().ofMaxSize(40);
    }

    /** Addresses from a few /16 neighbourhoods (so blocks collide), or anywhere. */
    private static Arbitrary<BigInteger> ipv4Address() {
        Arbitrary<BigInteger> near = Combinators.combine(Arbitraries.of(0L, 0x0A00L, 0x0A01L, 0xC000L, 0xFFFFL), Arbitraries.longs().between(0, 0xFFFF))
                .as((high, low) -> BigInteger.valueOf(high << 16 | low));
        return Arbitraries.oneOf(near, Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(BigInteger::valueOf));
    }

    /** Addresses in a few /48 neighbourhoods (including the IPv4-compatible ::/96 and near the top), or anywhere. */
    private static Arbitrary<BigInteger> ipv6Address() {
        Arbitrary<BigInteger> near = Combinators.combine(
                        Arbitraries.of("0", "20010db80000", "20010db80001", "fe8000000000", "ffffffffffff"),
                        Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(80).subtract(BigInteger.ONE)))
                .as((prefix, rest) -> new BigInteger(prefix, 16).shiftLeft(80).or(rest));
        Arbitrary<BigInteger> anywhere = Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
        return Arbitraries.oneOf(near, anywhere).filter(AddressSetProperties::notIpv4Mapped);
    }

    /** Mapped addresses are IPv4 by design; the naive model keeps the families apart, so leave them out here. */
    private static boolean notIpv4Mapped(BigInteger address) {
        return !address.shiftRight(32).equals(BigInteger.valueOf(0xFFFF));
    }

    static String toText(boolean ipv4, BigInteger address) {
        if (ipv4) {
            return Cidr.ipv4Text(address.longValueExact());
        }
        StringBuilder text = new StringBuilder();
        for (int group = 7; group >= 0; group--) {
            text.append(Integer.toHexString(address.shiftRight(group * 16).intValue() & 0xFFFF));
            if (group > 0) {
                text.append(':');
            }
        }
        return text.toString();
    }
}
