package io.gatehouse.server.reload;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.server.config.ConfigLoader;
import io.gatehouse.testkit.RawConnection;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A reload applies {@code server.listen}: new ports are bound, removed ones stop accepting while
 * their established connections are served on; a port that cannot be bound rejects the whole
 * reload and leaves the running chain (and the instances it would have carried over) untouched.
 */
class ListenerReloadIntegrationTest {

    @TempDir
    Path dir;

    /** Keeps its running instance across reloads and counts closes. */
    static final class Keeping implements ProxyFilterFactory<String> {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public String type() {
            return "keeping";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return "";
        }

        @Override
        public ProxyFilter create(String config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(io.gatehouse.api.Exchange exchange) {
                    return FilterResult.proceed();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }

        @Override
        public ProxyFilter create(String config, FilterContext context, Optional<ProxyFilter> previous) {
            return previous.orElseGet(() -> create(config, context));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String yaml(String upstream, int... ports) {
        StringBuilder listen = new StringBuilder();
        for (int port : ports) {
            listen.append(listen.length() == 0 ? "" : ", ").append("\"127.0.0.1:").append(port).append('"');
        }
        return """
                server: { listen: [ %s ], upstream: "%s" }
                filters: [ { type: keeping } ]
                """.formatted(listen, upstream);
    }

    private static String get(RawConnection connection) {
        return connection.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
    }

    @Test
    void portsComeAndGoWithoutDroppingEstablishedConnections() throws Exception {
        Keeping keeping = new Keeping();
        int first = freePort();
        int removed = freePort();
        int added = freePort();
        try (TestOrigin origin = TestOrigin.start(Reply.ok("served"));
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             GatehouseServer server = GatehouseServer.start(new ConfigLoader(dir).parse(yaml(origin.url(), first, removed), "t.yaml"),
                     List.of(keeping));
             RawConnection established = RawConnection.open(removed).timeout(Duration.ofSeconds(10))) {
            assertThat(get(established)).contains("served");

            ReloadResult moved = server.reload(new ConfigLoader(dir).parseDocument(yaml(origin.url(), first, added), "t.yaml"), "test");

            assertThat(moved.applied()).as(moved.summary()).isTrue();
            assertThat(moved.listenersAdded()).containsExactly("127.0.0.1:" + added);
            assertThat(moved.listenersRemoved()).containsExactly("127.0.0.1:" + removed);
            assertThat(moved.restartRequired()).isEmpty();
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> // the reactor closes the socket on its next select
                    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), removed).close()).isInstanceOf(ConnectException.class));
            try (RawConnection fresh = RawConnection.open(added).timeout(Duration.ofSeconds(10))) {
                assertThat(get(fresh)).contains("served");
            }
            assertThat(get(established)).as("a connection of the removed listener is served on").contains("served");
            assertThat(server.config().listenAddresses()).extracting(a -> a.getPort()).containsExactly(first, added);

            ReloadResult refused = server.reload(new ConfigLoader(dir).parseDocument(
                    yaml(origin.url(), first, added, taken.getLocalPort()), "t.yaml"), "test");

            assertThat(refused.applied()).isFalse();
            assertThat(refused.error()).hasValueSatisfying(e -> assertThat(e).startsWith("server.listen[2]: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()));
            assertThat(keeping.closed).as("the instance the refused chain would have carried over still runs").hasValue(0);
            try (RawConnection again = RawConnection.open(first).timeout(Duration.ofSeconds(10))) {
                assertThat(get(again)).contains("served");
            }
        }
        assertThat(keeping.closed).as("closed once, at the stop").hasValue(1);
    }
}
