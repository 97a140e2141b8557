package ${package};

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.TestOrigin;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Development mode: runs Gatehouse on port 8080 with this filter straight from
 * {@code target/classes}, without packaging, in front of the URL given as first argument, or of a
 * test origin that answers {@code origin saw GET /path} when none is given. Start it from your IDE
 * to set breakpoints in the filter; stop it with the IDE's stop button or Ctrl-C.
 */
public final class DevServer {

    private DevServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Optional<TestOrigin> origin = args.length > 0 ? Optional.empty() : Optional.of(TestOrigin.start());
        String upstream = args.length > 0 ? args[0] : origin.orElseThrow().url();
        try (EmbeddedGatehouse gatehouse = EmbeddedGatehouse.builder()
                .config("filters: [ { type: ${filterType}, config: { response-header: X-Dev, response-value: \"on\" } } ]")
                .filters(new ExampleFilterFactory())
                .upstream(upstream)
                .port(8080)
                .start()) {
            System.out.println("Gatehouse with ${filterType} on http://127.0.0.1:" + gatehouse.port() + " -> " + upstream);
            new CountDownLatch(1).await();
        } finally {
            origin.ifPresent(TestOrigin::close);
        }
    }
}
