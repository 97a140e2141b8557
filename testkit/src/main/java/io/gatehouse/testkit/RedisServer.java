package io.gatehouse.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, started as a child process on a free loopback port
 * ({@code --save '' --appendonly no}: nothing written to disk) and stopped by {@link #close()}.
 * A test that needs Redis fails with a clear message when it cannot start (it never passes
 * silently): install it with {@code apt-get install -y redis-server}; {@code .ci/run} does.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(10);

    private final int port;
    private final Path dir;
    private final Path log;
    private final List<String> command;
    private Process process;

    private RedisServer(int port, Path dir, List<String> command) {
        this.port = port;
        this.dir = dir;
        this.log = dir.resolve("redis.log");
        this.command = List.copyOf(command);
    }

    /**
     * @return a running server on a free port
     * @throws IllegalStateException when {@code redis-server} is missing or does not start
     */
    public static RedisServer start() {
        return start(port -> List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--enable-debug-command", "local", "--loglevel", "warning"), dir -> { });
    }

    /**
     * A one-node Redis Cluster that owns every slot: enough for the cluster client's protocol
     * (slot routing, {@code CROSSSLOT} refusals, {@code MOVED}), not for failover.
     *
     * @return a running cluster node
     */
    public static RedisServer startCluster() {
        RedisServer node = start(port -> List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--loglevel", "warning", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-announce-ip", "127.0.0.1"),
                dir -> { });
        try {
            node.command("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            long deadline = System.nanoTime() + READY.toNanos();
            while (!node.value("CLUSTER", "INFO").orElse("").startsWith("cluster_state:ok")) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the one-node cluster did not become ok: " + node.value("CLUSTER", "INFO"));
                }
                Thread.onSpinWait();
            }
            return node;
        } catch (IOException | RuntimeException e) {
            node.close();
            throw new IllegalStateException("cannot set up a one-node Redis Cluster: " + e.getMessage(), e);
        }
    }

    /**
     * A Sentinel watching {@code master} under the name {@code masterName}.
     *
     * @param masterName the master's name for clients ({@code sentinelMasterId})
     * @param master the master
     * @return a running Sentinel
     */
    public static RedisServer startSentinel(String masterName, RedisServer master) {
        return start(port -> List.of("redis-server", "sentinel.conf", "--sentinel", "--port", Integer.toString(port)), dir -> {
            try {
                Files.writeString(dir.resolve("sentinel.conf"), "bind 127.0.0.1\nsentinel monitor " + masterName + " 127.0.0.1 "
                        + master.port() + " 1\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static RedisServer start(java.util.function.IntFunction<List<String>> command, java.util.function.Consumer<Path> prepare) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {   // the free port may be taken between the probe and the start
            try {
                int port = freePort();
                Path dir = Files.createTempDirectory("redis-test-");
                prepare.accept(dir);
                RedisServer server = new RedisServer(port, dir, command.apply(port));
                server.launch();
                return server;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start redis-server, which the Redis tests need (install it with "
                        + "apt-get install -y redis-server; .ci/run does): " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start with status " + process.exitValue() + ": " + output());
            }
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS);   // bounded poll, also notices an early exit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stopProcess();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within " + READY.toSeconds() + "s: " + output());
    }

    private String output() {
        try {
            return Files.readString(log).strip();
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /** @return {@code redis://127.0.0.1:PORT} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Sends one command on a new connection and reads the first line of the reply.
     *
     * @param args the command and its arguments
     * @return the reply's first line, such as {@code +OK} or {@code :3}
     * @throws IOException when Redis cannot be reached (5 s read timeout)
     */
    public String command(String... args) throws IOException {
        return reply(false, args);
    }

    /**
     * Sends one command whose reply is a bulk string, such as {@code GET} or {@code HGET}.
     *
     * @param args the command and its arguments
     * @return the string, empty for a nil reply
     * @throws IOException when Redis cannot be reached (5 s read timeout)
     */
    public Optional<String> value(String... args) throws IOException {
        String reply = reply(true, args);
        return reply.equals("$-1") ? Optional.empty() : Optional.of(reply);
    }

    private String reply(boolean bulk, String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String first = line(in);
            return bulk && first.startsWith("$") && !first.equals("$-1") ? line(in) : first;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\r') {
            line.append((char) b);
        }
        in.read();   // the LF
        return line.toString();
    }

    /**
     * Makes Redis stop answering for a while ({@code DEBUG SLEEP}), from a thread of its own.
     *
     * @param pause how long
     * @return the thread, to join
     */
    public Thread pause(Duration pause) {
        Thread sleeper = new Thread(() -> {
            try {
                command("DEBUG", "SLEEP", Double.toString(pause.toMillis() / 1000.0));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "redis-pause");
        sleeper.start();
        return sleeper;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s); {@link #restart()} brings it back on the same port. */
    public void stop() {
        stopProcess();
    }

    /** Starts the server again on the same port, empty. */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart redis-server: " + e.getMessage(), e);
        }
    }

    private void stopProcess() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopProcess();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // temporary files; nothing to do
        }
    }

    @Override
    public String toString() {
        return "redis-server on 127.0.0.1:" + port;
    }
}
