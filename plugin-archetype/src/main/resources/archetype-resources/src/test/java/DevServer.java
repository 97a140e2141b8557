package ${package};

import io.gatehouse.server.testkit.EmbeddedGatehouse;

import java.util.concurrent.CountDownLatch;

/**
 * Development mode: runs Gatehouse on port 8080 with this filter straight from
 * {@code target/classes}, without packaging, in front of the URL given as first argument
 * (default {@code http://127.0.0.1:9000}). Start it from your IDE to set breakpoints in the
 * filter; stop it with the IDE's stop button or Ctrl-C.
 */
public final class DevServer {

    private DevServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        String upstream = args.length > 0 ? args[0] : "http://127.0.0.1:9000";
        try (EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
                .config("filters: [ { type: ${filterType}, config: { response-header: X-Dev, response-value: on } } ]")
                .filters(new ExampleFilterFactory())
                .upstream(upstream)
                .port(8080)
                .start()) {
            System.out.println("Gatehouse with ${filterType} on http://127.0.0.1:" + gatehouse.port() + " -> " + upstream);
            new CountDownLatch(1).await();
        }
    }
}
