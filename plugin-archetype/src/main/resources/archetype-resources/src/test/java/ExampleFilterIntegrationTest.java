package ${package};

import io.gatehouse.testkit.GatehouseExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real Gatehouse with this filter, in front of a real origin, over real HTTP on loopback. */
class ExampleFilterIntegrationTest {

    @RegisterExtension
    static final GatehouseExtension GATEHOUSE = GatehouseExtension.create()
            .filters(new ExampleFilterFactory())
            .config("""
                    filters:
                      - type: ${filterType}
                        config: { required-header: X-Team, response-header: X-Checked-By, response-value: "${artifactId}" }
                    """);

    @Test
    void aRequestWithTheHeaderReachesTheOriginAndComesBackMarked() {
        HttpResponse<String> response = GATEHOUSE.send(HttpRequest.newBuilder(GATEHOUSE.uri("/orders/7"))
                .header("X-Team", "payments").build());

        assertEquals(200, response.statusCode());
        assertEquals("origin saw GET /orders/7", response.body());
        assertEquals("${artifactId}", response.headers().firstValue("X-Checked-By").orElseThrow());
        assertEquals("payments", GATEHOUSE.origin().lastRequest().header("X-Team").orElseThrow());
    }

    @Test
    void aRequestWithoutItIsRefusedBeforeTheOrigin() {
        int before = GATEHOUSE.origin().requests().size();

        HttpResponse<String> response = GATEHOUSE.get("/orders/7");

        assertEquals(400, response.statusCode());
        assertEquals("Bad Request: missing header X-Team\n", response.body());
        assertEquals(before, GATEHOUSE.origin().requests().size());
    }
}
