package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HashKeyTest {

    @Test
    void clientIpIsTheResolvedClientNotTheProxyInFront() throws Exception {
        InetSocketAddress balancerInFront = new InetSocketAddress(InetAddress.getByName("10.0.0.2"), 40000);
        TestExchange exchange = TestExchange.get("/").from(balancerInFront).clientIp(InetAddress.getByName("203.0.113.9"));
        assertThat(HashKey.parse("client-ip").of(exchange)).contains("203.0.113.9");
    }

    @Test
    void theOtherForms() {
        TestExchange exchange = TestExchange.get("/a/b?c").header("X-User", "ann").header("Cookie", "s=1");
        assertThat(HashKey.parse("path").of(exchange)).contains("/a/b");
        assertThat(HashKey.parse("header:X-User").of(exchange)).contains("ann");
        assertThat(HashKey.parse("cookie:s").of(exchange)).contains("1");
        assertThat(HashKey.parse("cookie:t").of(exchange)).isEmpty();
        assertThatThrownBy(() -> HashKey.parse("body")).hasMessage("expected header:NAME, cookie:NAME, client-ip or path, got \"body\"");
    }
}
