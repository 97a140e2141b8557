package io.gatehouse.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Gatehouse started as a separate process, for end-to-end tests: a distribution's
 * {@code bin/gatehouse}, or {@code java -cp ... io.gatehouse.server.Main}. Collects its output
 * (stderr merged into stdout) and finds the port it announces on 127.0.0.1
 * ({@code listening on [/127.0.0.1:PORT]}).
 *
 * <pre>{@code
 * try (GatehouseProcess gatehouse = GatehouseProcess.start(new ProcessBuilder(home + "/bin/gatehouse", "--config", yaml))) {
 *     int port = gatehouse.awaitPort(Duration.ofSeconds(60));
 *     ...
 * }
 * }</pre>
 *
 * @since 0.2
 */
public final class GatehouseProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)\\]");
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread reader;

    private GatehouseProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::readOutput, "gatehouse-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the command with stderr merged into stdout.
     *
     * @param command the command
     * @return the running process
     */
    public static GatehouseProcess start(ProcessBuilder command) {
        try {
            return new GatehouseProcess(command.redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("gatehouse exited: " + output));
    }

    /**
     * @param timeout how long to wait for the announcement
     * @return the proxy's port on 127.0.0.1
     * @throws IllegalStateException when none was announced in time (the output is in the message)
     */
    public int awaitPort(Duration timeout) {
        try {
            return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("gatehouse did not announce its port; output: " + output, e);
        }
    }

    /** @return the process */
    public Process process() {
        return process;
    }

    /** @return everything it printed so far */
    public String output() {
        return output.toString();
    }

    /**
     * Sends SIGTERM (a graceful stop) and waits for the exit and the last lines of output.
     *
     * @param timeout how long to wait; then the process is killed
     * @return the exit code
     * @throws IllegalStateException when it did not stop in time
     */
    public int terminate(Duration timeout) {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("gatehouse did not stop within " + timeout + "; output: " + output);
            }
            reader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** Terminates the process if it still runs (20 seconds, then killed). */
    @Override
    public void close() {
        if (process.isAlive()) {
            terminate(CLOSE_WAIT);
        }
    }
}
