package io.gatehouse.plugins.auth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Gatehouse's own loggers at DEBUG, requests with good and bad credentials of every kind
 * (and a forward-auth service that fails) leave no credential in any log line.
 */
class CredentialsNotLoggedIntegrationTest {

    static final String KEY = "log-key-SECRETKEY-7f3a9c";
    static final String PASSWORD = "SECRETPASSWORD-wonder";

    @Test
    void noCredentialAppearsInTheLogs() {
        Logger gatehouseLogs = (Logger) LoggerFactory.getLogger("io.gatehouse");
        Level before = gatehouseLogs.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        gatehouseLogs.addAppender(events);
        gatehouseLogs.setLevel(Level.DEBUG);
        String token = Tokens.sign(JwtTest.RSA, Tokens.claims().expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(60)))
                .build());
        String expired = Tokens.sign(JwtTest.RSA, Tokens.claims().build());
        try (TestOrigin origin = TestOrigin.start();
             TestOrigin authService = TestOrigin.start(Reply.text(403, "no"));
             EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder().config("""
                     filters:
                       - type: auth
                         when: { path-prefix: /a }
                         config:
                           api-key: { keys: [ { consumer: billing, hash: "%s" } ] }
                           basic: { users: [ { name: alice, hash: "%s" } ] }
                           jwt: { keys: [ '%s' ], audience: orders-api }
                       - type: auth
                         when: { path-prefix: /f }
                         config:
                           forward: { url: "%s/check", timeout: 300ms }
                     """.formatted(Hashes.sha256(KEY), Hashes.bcrypt(PASSWORD), JwtTest.RSA.jwks(), authService.url()))
                     .filters(new AuthFilterFactory()).upstream(origin).start()) {
            List<String[]> requests = List.of(
                    new String[] {"X-Api-Key", KEY}, new String[] {"X-Api-Key", KEY + "-wrong"},
                    new String[] {"Authorization", BasicTest.basic("alice", PASSWORD)},
                    new String[] {"Authorization", BasicTest.basic("alice", PASSWORD + "-wrong")},
                    new String[] {"Authorization", "Bearer " + token}, new String[] {"Authorization", "Bearer " + expired});
            for (String[] header : requests) {
                gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/a")).header(header[0], header[1]).build());
            }
            gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/f")).header("Authorization", "Bearer " + token).build());
            authService.kill();
            gatehouse.send(HttpRequest.newBuilder(gatehouse.uri("/f")).header("Authorization", "Bearer " + token).build());
        } finally {
            gatehouseLogs.detachAppender(events);
            gatehouseLogs.setLevel(before);
        }
        assertThat(events.list).as("the filter logged its decisions at DEBUG").isNotEmpty();
        for (ILoggingEvent event : events.list) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).doesNotContain("SECRETKEY").doesNotContain("SECRETPASSWORD")
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes()))
                    .doesNotContain(token.substring(token.indexOf('.'))).doesNotContain(expired.substring(expired.indexOf('.')));
        }
    }
}
