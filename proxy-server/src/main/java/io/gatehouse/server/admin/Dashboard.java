package io.gatehouse.server.admin;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The live dashboard of the admin listener: {@code GET /} is one self-contained page (inline
 * script and styles, no external resource) that polls {@code GET /dashboard.json} and draws its
 * charts and tables. A sampler thread ({@code gatehouse-dashboard}) reads the server's meters
 * every {@link #INTERVAL} into a bounded {@link DashboardHistory}; the request path does nothing
 * for the dashboard.
 */
final class Dashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    /** How often the meters are read. */
    static final Duration INTERVAL = Duration.ofSeconds(2);
    /** How many intervals the charts show: five minutes. */
    static final int POINTS = 150;
    /** Over how many intervals the tables' rates are taken: ten seconds. */
    static final int WINDOW = 5;

    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final DashboardHistory history = new DashboardHistory(POINTS, WINDOW);
    private final ScheduledExecutorService sampler;

    /** A dashboard that samples only when {@link #sample()} is called (tests), at the times {@code clock} gives. */
    Dashboard(MeterRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-dashboard");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @param registry the server's meters
     * @return a dashboard whose sampler is running (the first reading at once)
     */
    static Dashboard start(MeterRegistry registry) {
        Dashboard dashboard = new Dashboard(registry, System::currentTimeMillis);
        dashboard.sampler.scheduleAtFixedRate(dashboard::sampleQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return dashboard;
    }

    /** Takes one reading now. */
    void sample() {
        history.add(DashboardReading.of(registry, clock.getAsLong()));
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) { // keep sampling: a failed reading must not stop the schedule
            LOG.warn("Dashboard: reading the meters failed", e);
        }
    }

    /** @return the document the page polls */
    String json() {
        return DashboardJson.render(history, INTERVAL.toMillis() / 1000.0);
    }

    /** Answers {@code GET /}: the page; any other path under the context gets {@code notFound}. */
    void servePage(HttpExchange exchange, String notFound) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            send(exchange, 404, notFound.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
            return;
        }
        exchange.getResponseHeaders().set("Content-Security-Policy", DashboardPage.CONTENT_SECURITY_POLICY);
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        send(exchange, 200, DashboardPage.HTML, "text/html; charset=utf-8");
    }

    /** Answers {@code GET /dashboard.json}. */
    void serveJson(HttpExchange exchange) throws IOException {
        send(exchange, 200, json().getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    /** The page, loaded once from the class path, and the policy that lets only its own script run. */
    static final class DashboardPage {

        static final byte[] HTML = load();
        static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src '" + scriptHash(HTML)
                + "'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors 'none'";

        private DashboardPage() {
        }

        private static byte[] load() {
            try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
                if (in == null) {
                    throw new IllegalStateException("dashboard.html missing from the class path");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** @return {@code sha256-…} of the page's one inline script */
        static String scriptHash(byte[] html) {
            String text = new String(html, StandardCharsets.UTF_8);
            int open = text.indexOf("<script>");
            int close = text.indexOf("</script>");
            if (open < 0 || close < open || text.indexOf("<script", open + 1) >= 0) {
                throw new IllegalStateException("dashboard.html must hold exactly one inline <script>");
            }
            String script = text.substring(open + "<script>".length(), close);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
                return "sha256-" + Base64.getEncoder().encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
