package io.gatehouse.plugins.ipfilter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.api.ConfigException;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Keys;
import io.gatehouse.api.testkit.FilterHarness;
import io.gatehouse.api.testkit.ManualScheduler;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpFilterTest {

    @TempDir
    Path dir;

    private static TestExchange from(String address) throws UnknownHostException {
        return TestExchange.get("/").clientIp(InetAddress.getByName(address));
    }

    private static FilterResult decide(FilterHarness harness, String address) throws UnknownHostException {
        return harness.request(from(address));
    }

    @Test
    void aDeniedAddressGets403WithAShortBody() throws Exception {
        try (FilterHarness harness = FilterHarness.of(new IpFilterFactory(), Map.of("deny", List.of("203.0.113.0/24", "2001:db8:bad::/48")))) {
            FilterResult result = decide(harness, "203.0.113.9");
            assertThat(result.proceeds()).isFalse();
            assertThat(result.response().orElseThrow().status()).isEqualTo(403);
            assertThat(new String(result.response().orElseThrow().body(), StandardCharsets.UTF_8)).isEqualTo("Forbidden\n");
            assertThat(decide(harness, "2001:db8:bad:1::7").proceeds()).isFalse();
            assertThat(decide(harness, "203.0.114.1").proceeds()).as("without an allow list, the rest passes").isTrue();
            assertThat(decide(harness, "2001:db8:bae::1").proceeds()).isTrue();
            assertThat(harness.metrics().count("denied")).isEqualTo(2);
        }
    }

    @Test
    void withAnAllowListEverythingElseIsDeniedAndDenyWins() throws Exception {
        try (FilterHarness harness = FilterHarness.of(new IpFilterFactory(), Map.of(
                "allow", List.of("10.0.0.0/8", "::1"), "deny", List.of("10.6.6.6")))) {
            assertThat(decide(harness, "10.1.2.3").proceeds()).isTrue();
            assertThat(decide(harness, "::1").proceeds()).isTrue();
            assertThat(decide(harness, "10.6.6.6").proceeds()).as("deny wins over a wider allow").isFalse();
            assertThat(decide(harness, "11.0.0.1").proceeds()).as("not allowed").isFalse();
            assertThat(decide(harness, "::2").proceeds()).isFalse();
        }
    }

    @Test
    void ipv4MappedClientsAreMatchedAsIpv4() throws Exception {
        try (FilterHarness harness = FilterHarness.of(new IpFilterFactory(), Map.of("deny", List.of("192.0.2.0/24")))) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            mapped[12] = (byte) 192;
            mapped[14] = 2;
            mapped[15] = 7;
            InetAddress client = java.net.Inet6Address.getByAddress(null, mapped, -1);
            assertThat(client).isInstanceOf(java.net.Inet6Address.class);
            assertThat(harness.request(TestExchange.get("/").clientIp(client)).proceeds()).isFalse();
        }
    }

    @Test
    void explainSaysWhyAndStopsAtARefusal() throws Exception {
        try (FilterHarness harness = FilterHarness.of(new IpFilterFactory(), Map.of("allow", List.of("10.0.0.0/8")))) {
            TestExchange refused = from("192.0.2.1");
            assertThat(harness.filter().explain(refused)).containsExactly("client 192.0.2.1 is refused with 403: not on the allow list");
            assertThat(refused.attribute(Keys.EXPLAINED_ANSWER)).contains(403);
            assertThat(harness.filter().explain(from("10.0.0.1"))).containsExactly("client 10.0.0.1 passes: on the allow list");
        }
    }

    @Test
    void configErrorsNameTheFullKey() throws IOException {
        assertThatThrownBy(() -> FilterHarness.of(new IpFilterFactory(), Map.of("allow", List.of("10.0.0.0/8", "10.0.0.300"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("filters[0].config.allow[1]: not an IP address or CIDR block: \"10.0.0.300\"");
        assertThatThrownBy(() -> FilterHarness.of(new IpFilterFactory(), Map.of("deny", List.of("example.com"))))
                .hasMessage("filters[0].config.deny[0]: not an IP address or CIDR block: \"example.com\"");
        assertThatThrownBy(() -> FilterHarness.of(new IpFilterFactory(), Map.of()))
                .hasMessage("filters[0].config.allow: give at least one of allow, allow-file, deny, deny-file");
        assertThatThrownBy(() -> FilterHarness.of(new IpFilterFactory(), Map.of("deny-file", dir.resolve("missing.txt").toString())))
                .hasMessage("filters[0].config.deny-file: no readable file " + dir.resolve("missing.txt"));
        Path bad = Files.writeString(dir.resolve("bad.txt"), "# blocklist\n192.0.2.1\n\n192.0.2.0/33\n");
        assertThatThrownBy(() -> FilterHarness.of(new IpFilterFactory(), Map.of("deny-file", bad.toString())))
                .hasMessage(bad + ":4: expected a prefix length from 0 to 32 after /, got \"33\"");
        assertThatThrownBy(() -> FilterHarness.of(new IpFilterFactory(), Map.of("deny", "10.0.0.1", "mode", "strict")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("filters[0].config.mode");
    }

    @Test
    void aListFileMayHaveCommentsBlankLinesCrLfAndAByteOrderMark() throws Exception {
        Path deny = Files.writeString(dir.resolve("deny.txt"), "\uFEFF192.0.2.1\r\n\r\n  # a comment\r\n\t2001:db8::/32 # trailing\r\n");
        try (FilterHarness harness = FilterHarness.of(new IpFilterFactory(), Map.of("deny-file", deny.toString()))) {
            assertThat(decide(harness, "192.0.2.1").proceeds()).isFalse();
            assertThat(decide(harness, "2001:db8::5").proceeds()).isFalse();
            assertThat(decide(harness, "192.0.2.2").proceeds()).isTrue();
            assertThat(harness.filter().status().orElseThrow()).contains("deny list: 2 block(s) in 2 range(s)", "watching " + deny);
        }
    }

    @Test
    void anEmptyAllowFileLetsNobodyThrough() throws Exception {
        Path allow = Files.writeString(dir.resolve("allow.txt"), "# nobody yet\n");
        try (FilterHarness harness = FilterHarness.of(new IpFilterFactory(), Map.of("allow-file", allow.toString()))) {
            assertThat(decide(harness, "10.0.0.1").proceeds()).isFalse();
        }
    }

    @Test
    void aChangedFileIsReloadedAndABadChangeIsRefusedKeepingTheListInForce() throws Exception {
        Path deny = Files.writeString(dir.resolve("deny.txt"), "192.0.2.1  # one host\n2001:db8::/32\n");
        ManualScheduler time = ManualScheduler.create();
        try (FilterHarness harness = FilterHarness.builder(new IpFilterFactory())
                .config(Map.of("deny-file", deny.toString(), "deny", List.of("198.51.100.0/24"), "watch-interval", "1s"))
                .scheduler(time).build()) {
            assertThat(decide(harness, "192.0.2.1").proceeds()).isFalse();
            assertThat(decide(harness, "192.0.2.2").proceeds()).isTrue();

            write(deny, "192.0.2.2\n", 1);
            time.advance(Duration.ofSeconds(1)); // the watcher sees the change and hands the read to the blocking executor
            time.runDueTasks();
            assertThat(decide(harness, "192.0.2.2").proceeds()).isFalse();
            assertThat(decide(harness, "192.0.2.1").proceeds()).isTrue();
            assertThat(decide(harness, "198.51.100.4").proceeds()).as("inline entries stay").isFalse();

            write(deny, "192.0.2.3\nnot-an-address\n", 2);
            ListAppender<ILoggingEvent> log = new ListAppender<>();
            Logger logger = (Logger) LoggerFactory.getLogger(WatchedListFile.class);
            log.start();
            logger.addAppender(log);
            try {
                time.advance(Duration.ofSeconds(1));
                time.runDueTasks();
            } finally {
                logger.detachAppender(log);
            }
            assertThat(log.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).isEqualTo("ip-filter#0 deny list: " + deny + " not reloaded, the list in force stays: "
                        + deny + ":2: not an IP address or CIDR block: \"not-an-address\"");
            });
            assertThat(decide(harness, "192.0.2.2").proceeds()).as("the list in force stays").isFalse();
            assertThat(decide(harness, "192.0.2.3").proceeds()).isTrue();
            assertThat(harness.filter().status().orElseThrow())
                    .contains("last change refused: " + deny + ":2: not an IP address or CIDR block: \"not-an-address\"");
        }
    }

    private static void write(Path file, String content, int generation) throws IOException {
        Files.writeString(file, content);
        // a distinct modification time, whatever the file system's granularity
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z").plusSeconds(generation)));
    }
}
