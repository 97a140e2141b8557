package io.gatehouse.server.exchange;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.Upstream;
import io.gatehouse.server.chain.ExchangeOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyErrorLogTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final ProxyErrorLog log = new ProxyErrorLog(nanos::get);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ProxyErrorLog.class);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    private static Outcome refused() {
        return ExchangeOutcome.builder(Outcome.Kind.COMPLETED).status(502).upstream(Optional.of(new Upstream("http", "10.0.0.7", 8080)))
                .routing(Optional.of("api"), Optional.empty()).attempts(2)
                .failure(Optional.of(new ConnectException("Connection refused"))).detail(Optional.of("upstream_connect_failed")).build();
    }

    @Test
    void aProxyMadeServerErrorIsOneWarningWithWhatAnOperatorNeeds() {
        assertThat(log.exchangeEnded(refused(), "ex-1", "req-7", "GET", "/orders")).isTrue();

        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getLevel().toString()).isEqualTo("WARN");
        assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo("Exchange ex-1 (request id req-7) GET /orders: 502 upstream_connect_failed; "
                + "route api, cluster -, upstream http://10.0.0.7:8080, 2 attempt(s): java.net.ConnectException: Connection refused");
    }

    @Test
    void originAnswersAndClientErrorsAreNotLogged() {
        Outcome origin500 = ExchangeOutcome.builder(Outcome.Kind.COMPLETED).status(500).build();
        Outcome local400 = ExchangeOutcome.builder(Outcome.Kind.COMPLETED).status(400).detail(Optional.of("host_required")).build();

        assertThat(log.exchangeEnded(origin500, "a", "-", "GET", "/")).isFalse();
        assertThat(log.exchangeEnded(local400, "b", "-", "GET", "/")).isFalse();
        assertThat(lines.list).isEmpty();
    }

    @Test
    void aFloodIsCutToTenLinesASecondAndTheRestIsCounted() {
        for (int i = 0; i < 100; i++) {
            log.exchangeEnded(refused(), "ex-" + i, "-", "GET", "/");
        }
        assertThat(lines.list).hasSize(ProxyErrorLog.LINES_PER_SECOND);

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        log.exchangeEnded(refused(), "next", "-", "GET", "/");

        assertThat(lines.list).hasSize(ProxyErrorLog.LINES_PER_SECOND + 1);
        assertThat(lines.list.get(lines.list.size() - 1).getFormattedMessage())
                .contains("Exchange next ", "(90 more such error(s) not logged: over 10 a second)");
    }
}
