package io.gatehouse.distribution;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A headless Chromium started by a test, driven through the Chrome DevTools Protocol over the
 * JDK's WebSocket client: no browser-automation library. Started with {@code
 * --remote-debugging-port=0}; the port it chose is read from {@code DevToolsActivePort} in its
 * profile directory. Console errors, uncaught exceptions and error log entries of the page are
 * collected. {@link #close()} ends the browser process and its children.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern PAGE_SOCKET = Pattern.compile("\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+)\"");

    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    private HeadlessChromium(Process process, int port) throws Exception {
        this.process = process;
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher page = PAGE_SOCKET.matcher(list);
        if (!page.find()) {
            throw new IllegalStateException("Chromium shows no page target: " + list);
        }
        this.socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(page.group(1)), new Listener())
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        call("Runtime.enable", Map.of());
        call("Log.enable", Map.of());
        call("Page.enable", Map.of());
        call("Emulation.setDeviceMetricsOverride", Map.of("width", 1400, "height", 1500, "deviceScaleFactor", 1, "mobile", false));
    }

    /**
     * Starts Chromium ({@code chromium}, {@code chromium-browser} or {@code google-chrome} on the
     * {@code PATH}, or the binary named by the environment variable {@code CHROMIUM}).
     *
     * @param profile an empty directory for its profile
     * @return the browser, with one blank page attached
     * @throws AssertionError when no Chromium is installed or it does not start: the test fails, it is not skipped
     */
    static HeadlessChromium start(Path profile) throws Exception {
        Path binary = binary().orElseThrow(() -> new AssertionError("No Chromium found: install the Debian package chromium "
                + "(apt-get install -y chromium; .ci/run does it) or set CHROMIUM to the browser's binary"));
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "--headless=new", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + profile, "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars", "--mute-audio", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile());
        // its own temporary files (the singleton socket's directory) beside the profile, removed with the test's directory
        builder.environment().put("TMPDIR", Files.createDirectories(profile.resolveSibling(profile.getFileName() + ".tmp")).toString());
        Process process = builder.start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            await("Chromium's DevToolsActivePort (" + binary + ")").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("Chromium (" + binary + ") exited with " + process.exitValue());
                        }
                        return Files.isRegularFile(portFile) && Files.readAllLines(portFile).size() >= 1
                                && !Files.readAllLines(portFile).get(0).isBlank();
                    });
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            return new HeadlessChromium(process, port);
        } catch (Throwable e) {
            stop(process);
            throw e;
        }
    }

    private static Optional<Path> binary() {
        String named = System.getenv("CHROMIUM");
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(Files::isExecutable);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser", "google-chrome").map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }

    /** Loads {@code url} and waits for its load event. */
    void navigate(URI url) throws Exception {
        CompletableFuture<Map<String, Object>> loaded = new CompletableFuture<>();
        loadEvent = loaded;
        call("Page.navigate", Map.of("url", url.toString()));
        loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private volatile CompletableFuture<Map<String, Object>> loadEvent = new CompletableFuture<>();

    /**
     * @param expression JavaScript whose value is a string
     * @return its value
     */
    String evaluate(String expression) throws Exception {
        Map<String, Object> result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        Map<?, ?> value = (Map<?, ?>) result.get("result");
        if (result.containsKey("exceptionDetails")) {
            throw new AssertionError("the expression threw: " + result.get("exceptionDetails"));
        }
        return String.valueOf(value.get("value"));
    }

    /** @return a PNG of the page as the browser shows it, full length */
    byte[] screenshot() throws Exception {
        Map<String, Object> result = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        return java.util.Base64.getDecoder().decode((String) result.get("data"));
    }

    /** @return the console errors, uncaught exceptions and error log entries seen so far */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** Sends one command and waits for its answer. */
    private Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + Json.write(params) + "}", true)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private void received(String text) {
        Map<String, Object> message = Json.read(text);
        Object id = message.get("id");
        if (id instanceof Integer n) {
            CompletableFuture<Map<String, Object>> answer = pending.remove(n);
            if (answer != null) {
                if (message.containsKey("error")) {
                    answer.completeExceptionally(new IllegalStateException("DevTools error: " + message.get("error")));
                } else {
                    answer.complete((Map<String, Object>) message.getOrDefault("result", Map.of()));
                }
            }
            return;
        }
        Map<String, Object> params = (Map<String, Object>) message.getOrDefault("params", Map.of());
        switch (String.valueOf(message.get("method"))) {
            case "Page.loadEventFired" -> loadEvent.complete(params);
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.get("exceptionDetails"));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(params.get("type")) || "assert".equals(params.get("type"))) {
                    errors.add("console." + params.get("type") + ": " + params.get("args"));
                }
            }
            case "Log.entryAdded" -> {
                Map<String, Object> entry = (Map<String, Object>) params.get("entry");
                if ("error".equals(entry.get("level"))) {
                    errors.add("log: " + entry.get("text") + " " + entry.getOrDefault("url", ""));
                }
            }
            default -> { }
        }
    }

    /** Collects a message's fragments and hands whole messages on. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                try {
                    received(text);
                } catch (RuntimeException e) {
                    errors.add("unreadable DevTools message: " + e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(answer -> answer.completeExceptionally(error));
        }
    }

    @Override
    public void close() {
        socket.abort();
        stop(process);
    }

    /** Ends the browser and the processes it started (renderers, GPU and zygote helpers), each by its own handle. */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** JSON in and out: DevTools messages are small JSON documents, which SnakeYAML (on the class path already) reads. */
    static final class Json {

        private Json() {
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> read(String text) {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(64 * 1024 * 1024); // a screenshot's base64
            return (Map<String, Object>) new Yaml(options).load(text);
        }

        static String write(Object value) {
            if (value instanceof Map<?, ?> map) {
                StringBuilder out = new StringBuilder("{");
                map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(write(String.valueOf(k))).append(':').append(write(v)));
                return out.append('}').toString();
            }
            if (value instanceof Number || value instanceof Boolean) {
                return String.valueOf(value);
            }
            StringBuilder out = new StringBuilder("\"");
            for (char c : String.valueOf(value).toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }
    }
}
