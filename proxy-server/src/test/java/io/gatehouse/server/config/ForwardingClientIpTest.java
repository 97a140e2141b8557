package io.gatehouse.server.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code Exchange.clientIp()} is resolved from the TCP peer and the forwarding fields. */
class ForwardingClientIpTest {

    private static final Forwarding TRUSTS_10_8 = new Forwarding(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1")), true, "gatehouse");

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static String resolve(String peer, List<String> xff, List<String> forwarded) throws Exception {
        return TRUSTS_10_8.clientIp(ip(peer), xff, forwarded).getHostAddress();
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItSends() throws Exception {
        assertThat(resolve("203.0.113.9", List.of("6.6.6.6"), List.of("for=6.6.6.6"))).isEqualTo("203.0.113.9");
    }

    @Test
    void aTrustedPeerWithoutForwardingFieldsIsTheClient() throws Exception {
        assertThat(resolve("10.0.0.2", List.of(), List.of())).isEqualTo("10.0.0.2");
    }

    @Test
    void theRightmostUntrustedHopOfXForwardedForIsTheClient() throws Exception {
        // the leftmost entries are the client's to write: only what trusted proxies appended counts
        assertThat(resolve("10.0.0.2", List.of("6.6.6.6, 198.51.100.4, 10.0.0.7"), List.of())).isEqualTo("198.51.100.4");
        assertThat(resolve("10.0.0.2", List.of("6.6.6.6", "198.51.100.4,10.0.0.7"), List.of()))
                .as("several fields are one list").isEqualTo("198.51.100.4");
    }

    @Test
    void whenEveryHopIsTrustedTheLeftmostIsTaken() throws Exception {
        assertThat(resolve("10.0.0.2", List.of("10.9.9.9, 10.0.0.7"), List.of())).isEqualTo("10.9.9.9");
    }

    @Test
    void aHopThatIsNoAddressStopsAtTheLastTrustedOne() throws Exception {
        assertThat(resolve("10.0.0.2", List.of("198.51.100.4, unknown, 10.0.0.7"), List.of())).isEqualTo("10.0.0.7");
        assertThat(resolve("10.0.0.2", List.of("example.com"), List.of())).as("never a DNS name").isEqualTo("10.0.0.2");
        assertThat(resolve("10.0.0.2", List.of("1.2.3"), List.of())).isEqualTo("10.0.0.2");
    }

    @Test
    void portsAndBracketsAreRead() throws Exception {
        assertThat(resolve("10.0.0.2", List.of("198.51.100.4:5555"), List.of())).isEqualTo("198.51.100.4");
        assertThat(resolve("10.0.0.2", List.of("[2001:db8::1]:443"), List.of())).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(resolve("10.0.0.2", List.of("2001:db8::1"), List.of())).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(resolve("::1", List.of("198.51.100.4"), List.of())).isEqualTo("198.51.100.4");
    }

    @Test
    void forwardedIsReadWhenThereIsNoXForwardedFor() throws Exception {
        assertThat(resolve("10.0.0.2", List.of(), List.of("for=6.6.6.6;proto=http, for=\"[2001:db8:cafe::17]:4711\";by=10.0.0.1, for=10.0.0.7")))
                .isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(resolve("10.0.0.2", List.of(), List.of("For=198.51.100.4;host=\"a,b\""))).isEqualTo("198.51.100.4");
        assertThat(resolve("10.0.0.2", List.of(), List.of("for=_hidden"))).isEqualTo("10.0.0.2");
        assertThat(resolve("10.0.0.2", List.of("198.51.100.9"), List.of("for=198.51.100.4")))
                .as("X-Forwarded-For wins").isEqualTo("198.51.100.9");
    }
}
