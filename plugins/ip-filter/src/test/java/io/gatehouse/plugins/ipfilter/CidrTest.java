package io.gatehouse.plugins.ipfilter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @Test
    void ipv4AddressesAndBlocks() {
        assertThat(Cidr.parse("192.0.2.7")).isEqualTo(new Cidr(true, 0, 0xC0000207L, 32));
        assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(new Cidr(true, 0, 0x0A000000L, 8));
        assertThat(Cidr.parse("0.0.0.0/0").lastIpv4()).isEqualTo(0xFFFFFFFFL);
        assertThat(Cidr.parse("10.0.0.0/8").lastIpv4()).isEqualTo(0x0AFFFFFFL);
        assertThat(Cidr.parse("255.255.255.255").lastIpv4()).isEqualTo(0xFFFFFFFFL);
    }

    @Test
    void ipv6AddressesAndBlocks() {
        assertThat(Cidr.parse("::1")).isEqualTo(new Cidr(false, 0, 1, 128));
        assertThat(Cidr.parse("::")).isEqualTo(new Cidr(false, 0, 0, 128));
        assertThat(Cidr.parse("2001:db8::/32")).isEqualTo(new Cidr(false, 0x20010DB800000000L, 0, 32));
        assertThat(Cidr.parse("2001:DB8:0:0:0:0:0:1")).isEqualTo(new Cidr(false, 0x20010DB800000000L, 1, 128));
        assertThat(Cidr.parse("1::")).isEqualTo(new Cidr(false, 0x0001000000000000L, 0, 128));
        assertThat(Cidr.parse("fe80::1:2:3:4")).isEqualTo(new Cidr(false, 0xFE80000000000000L, 0x0001000200030004L, 128));
        assertThat(Cidr.parse("64:ff9b::192.0.2.7")).isEqualTo(new Cidr(false, 0x0064FF9B00000000L, 0xC0000207L, 128));
        Cidr block = Cidr.parse("2001:db8::/32");
        assertThat(block.lastHigh()).isEqualTo(0x20010DB8FFFFFFFFL);
        assertThat(block.lastLow()).isEqualTo(-1L);
        Cidr wide = Cidr.parse("2001:db8::/96");
        assertThat(wide.lastHigh()).isEqualTo(0x20010DB800000000L);
        assertThat(wide.lastLow()).isEqualTo(0x00000000FFFFFFFFL);
    }

    @Test
    void ipv4MappedIpv6IsIpv4() {
        assertThat(Cidr.parse("::ffff:192.0.2.7")).isEqualTo(Cidr.parse("192.0.2.7"));
        assertThat(Cidr.parse("::ffff:c000:207")).isEqualTo(Cidr.parse("192.0.2.7"));
        assertThat(Cidr.parse("::ffff:10.0.0.0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("::ffff:0:0/96")).isEqualTo(Cidr.parse("0.0.0.0/0"));
        assertThat(Cidr.parse("::/0").ipv4()).as("::/0 is IPv6 only, as in nginx").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "10.1", "10.0.0", "10.0.0.0.0", "256.0.0.1", "01.2.3.4", "1.2.3.4.", ".1.2.3",
            "1..2.3", "0x1.2.3.4", "localhost", "example.com", "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/08",
            "1.2.3.4 /8", ":", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "1:2:3:4:5:6:7", "g::1", "fe80::1%eth0",
            "::/129", "1:", ":1", "::ffff:1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4.5"})
    void malformedEntriesAreRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("(not an IP address or CIDR block|expected a prefix length).*");
    }

    @Test
    void bitsAfterThePrefixAreRefusedWithTheBlockNamed() {
        assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address bits set after the prefix length /8 (the block is 10.0.0.0/8)");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/64")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address bits set after the prefix length /64");
        assertThatThrownBy(() -> Cidr.parse("2001:db8:1::/16")).isInstanceOf(IllegalArgumentException.class);
    }
}
