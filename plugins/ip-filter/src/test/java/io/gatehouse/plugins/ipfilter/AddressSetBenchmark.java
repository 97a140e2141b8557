package io.gatehouse.plugins.ipfilter;

import io.gatehouse.api.FilterResult;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.TestExchange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Lookups in lists of one million entries: IPv4 (a mix of single addresses and /24 blocks, as
 * blocklists are), IPv6 (/48 to /128), and the whole {@code onRequest} of a filter whose deny
 * file holds the IPv4 million. The probed addresses are random, half of them in the list, and
 * cycle through 4,096 of them so that the lookups miss the CPU caches as real traffic would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AddressSetBenchmark {

    private static final int ENTRIES = 1_000_000;
    private static final int PROBES = 4096;

    private AddressSet ipv4;
    private AddressSet ipv6;
    private InetAddress[] ipv4Probes;
    private InetAddress[] ipv6Probes;
    private TestExchange[] exchanges;
    private FilterHarness harness;
    private Path file;
    private int next;

    @Setup
    public void setUp() throws IOException {
        SplittableRandom random = new SplittableRandom(19);
        AddressSet.Builder v4 = new AddressSet.Builder();
        AddressSet.Builder v6 = new AddressSet.Builder();
        List<String> lines = new ArrayList<>(ENTRIES);
        long[] v4Entries = new long[ENTRIES];
        long[][] v6Entries = new long[ENTRIES][];
        for (int i = 0; i < ENTRIES; i++) {
            long address = random.nextLong(1L << 32);
            int prefix = random.nextInt(4) == 0 ? 24 : 32;
            address = prefix == 24 ? address & 0xFFFF_FF00L : address;
            v4Entries[i] = address;
            String text = Cidr.ipv4Text(address) + "/" + prefix;
            lines.add(text);
            v4.add(Cidr.parse(text));
            long high = 0x2000_0000_0000_0000L | random.nextLong(1L << 60);
            long low = random.nextLong();
            int prefix6 = 48 + random.nextInt(81);
            v6Entries[i] = new long[] {high, low};
            v6.add(Cidr.parse(AddressSetProperties.toText(false, java.math.BigInteger.valueOf(high).shiftLeft(64)
                    .or(new java.math.BigInteger(Long.toUnsignedString(low))).shiftRight(128 - prefix6).shiftLeft(128 - prefix6)) + "/" + prefix6));
        }
        ipv4 = v4.build();
        ipv6 = v6.build();
        ipv4Probes = new InetAddress[PROBES];
        ipv6Probes = new InetAddress[PROBES];
        exchanges = new TestExchange[PROBES];
        for (int i = 0; i < PROBES; i++) {
            boolean listed = i % 2 == 0;
            long address = listed ? v4Entries[random.nextInt(ENTRIES)] : random.nextLong(1L << 32);
            ipv4Probes[i] = InetAddress.getByName(Cidr.ipv4Text(address));
            long[] bits = listed ? v6Entries[random.nextInt(ENTRIES)] : new long[] {random.nextLong(), random.nextLong()};
            ipv6Probes[i] = InetAddress.getByName(AddressSetProperties.toText(false,
                    java.math.BigInteger.valueOf(bits[0]).shiftLeft(64).or(new java.math.BigInteger(Long.toUnsignedString(bits[1])))
                            .and(java.math.BigInteger.ONE.shiftLeft(128).subtract(java.math.BigInteger.ONE))));
            exchanges[i] = TestExchange.get("/").clientIp(ipv4Probes[i]);
        }
        file = Files.createTempFile("ip-filter-benchmark", ".txt");
        Files.write(file, lines);
        harness = FilterHarness.of(new IpFilterFactory(), Map.of("deny-file", file.toString()));
    }

    @TearDown
    public void tearDown() throws IOException {
        harness.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public boolean ipv4Lookup() {
        return ipv4.contains(ipv4Probes[next++ & (PROBES - 1)]);
    }

    @Benchmark
    public boolean ipv6Lookup() {
        return ipv6.contains(ipv6Probes[next++ & (PROBES - 1)]);
    }

    @Benchmark
    public CompletionStage<FilterResult> filterOnRequest() {
        return harness.filter().onRequest(exchanges[next++ & (PROBES - 1)]);
    }
}
