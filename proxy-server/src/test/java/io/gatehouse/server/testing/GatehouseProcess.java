package io.gatehouse.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Gatehouse started as a separate process (the distribution's script or {@code java -cp ...
 * Main}): collects its output and finds the port it announces ({@code listening on [/127.0.0.1:PORT]}).
 */
public final class GatehouseProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)\\]");

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
     * @param builder the command
     * @return the running process
     */
    public static GatehouseProcess start(ProcessBuilder builder) {
        try {
            return new GatehouseProcess(builder.redirectErrorStream(true).start());
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
     * @param seconds how long to wait for the announcement
     * @return the proxy port
     */
    public int awaitPort(int seconds) {
        try {
            return port.get(seconds, TimeUnit.SECONDS);
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
     * Sends SIGTERM (without closing our end of its output) and waits for the exit and the
     * last output lines.
     *
     * @param seconds how long to wait
     * @return the exit code
     */
    public int terminate(int seconds) {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("gatehouse did not stop within " + seconds + " s; output: " + output);
            }
            reader.join(TimeUnit.SECONDS.toMillis(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            terminate(20);
        }
    }
}
