package io.gatehouse.api.http;

import io.gatehouse.api.ConfigException;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestKeyTest {

    @Test
    void aHeaderKeyReadsTheFirstValue() {
        RequestKey key = RequestKey.parse("header:X-User");
        assertThat(key.of(TestExchange.get("/").header("x-user", "ann").header("X-User", "bob"))).contains("ann");
        assertThat(key.of(TestExchange.get("/"))).isEmpty();
        assertThat(key).hasToString("header:X-User");
    }

    @Test
    void aCookieKeyReadsTheCookie() {
        RequestKey key = RequestKey.parse("cookie:session");
        assertThat(key.of(TestExchange.get("/").header("Cookie", "a=1; session=s-42"))).contains("s-42");
        assertThat(key.of(TestExchange.get("/").header("Cookie", "a=1"))).isEmpty();
    }

    @Test
    void theClientIpKeyIsTheResolvedClientNotTheTcpPeer() throws Exception {
        RequestKey key = RequestKey.parse("client-ip");
        TestExchange direct = TestExchange.get("/").from(new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 5000));
        assertThat(key.of(direct)).contains("198.51.100.7");
        TestExchange proxied = TestExchange.get("/").from(new InetSocketAddress(InetAddress.getByName("10.0.0.2"), 5000))
                .clientIp(InetAddress.getByName("203.0.113.9"));
        assertThat(key.of(proxied)).contains("203.0.113.9");
        assertThat(key.of(TestExchange.get("/").clientIp(InetAddress.getByName("2001:db8::1")))).contains("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void badSpecsAreRefused() {
        for (String bad : new String[]{"", "header:", "cookie:", "header:a b", "ip", "path", "Client-IP", "cookie:a;b"}) {
            assertThatThrownBy(() -> RequestKey.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected header:NAME, cookie:NAME or client-ip");
        }
    }

    @Test
    void fromConfigNamesTheFullKey() {
        PluginConfig config = PluginConfig.of("filters[4].config", Map.of("key", "body", "good", "cookie:id"));
        assertThat(RequestKey.from(config, "good")).isEqualTo(RequestKey.parse("cookie:id"));
        assertThatThrownBy(() -> RequestKey.from(config, "key")).isInstanceOf(ConfigException.class)
                .hasMessage("filters[4].config.key: expected header:NAME, cookie:NAME or client-ip, got \"body\"");
        assertThatThrownBy(() -> RequestKey.from(config, "absent")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[4].config.absent: ");
    }
}
