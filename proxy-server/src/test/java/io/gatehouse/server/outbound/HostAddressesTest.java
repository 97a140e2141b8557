package io.gatehouse.server.outbound;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class HostAddressesTest {

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger lookups = new AtomicInteger();
    private final HostAddresses hosts = new HostAddresses(host -> {
        lookups.incrementAndGet();
        return new InetAddress[] {InetAddress.getLoopbackAddress()};
    }, now::get);

    @AfterEach
    void close() {
        hosts.close();
    }

    @Test
    void ipLiteralsAreReadyWithoutALookup() {
        assertThat(hosts.isReady("127.0.0.1")).isTrue();
        assertThat(hosts.isReady("[::1]")).isTrue();
        assertThat(hosts.isReady("::1")).isTrue();
        assertThat(hosts.isReady("auth.internal")).isFalse();
        assertThat(lookups).hasValue(0);
    }

    @Test
    void aResolvedNameIsReadyUntilItsTimeToLiveEnds() throws Exception {
        hosts.resolveAhead("auth.internal").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(hosts.isReady("auth.internal")).isTrue();
        now.addAndGet(HostAddresses.TIME_TO_LIVE.toNanos() - 1);
        assertThat(hosts.isReady("auth.internal")).isTrue();
        now.addAndGet(1);
        assertThat(hosts.isReady("auth.internal")).isFalse();
    }

    @Test
    void theClientsResolverReadsTheResolvedAddressesWithoutASecondLookup() throws Exception {
        hosts.resolveAhead("auth.internal").toCompletableFuture().get(10, TimeUnit.SECONDS);
        int afterResolve = lookups.get();

        assertThat(hosts.resolve("auth.internal")).containsExactly(InetAddress.getLoopbackAddress());
        assertThat(lookups).hasValue(afterResolve);
    }

    @Test
    void aNameThatDoesNotResolveIsNotRememberedAndTheStageStillCompletes() throws Exception {
        HostAddresses failing = new HostAddresses(host -> {
            throw new java.net.UnknownHostException(host);
        }, now::get);
        try {
            failing.resolveAhead("nowhere.test").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(failing.isReady("nowhere.test")).isFalse();
        } finally {
            failing.close();
        }
    }
}
