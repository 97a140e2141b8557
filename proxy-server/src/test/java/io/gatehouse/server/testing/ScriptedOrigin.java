package io.gatehouse.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket origin that answers each request with scripted bytes, for odd and hostile
 * origin behaviour: invalid status lines, bad header bytes, resets, interim responses.
 */
public final class ScriptedOrigin implements AutoCloseable {

    /** What to do with one connection after its request was read. */
    @FunctionalInterface
    public interface Script {
        /**
         * @param requestHead the request head as received
         * @param out the connection's output
         * @throws IOException to drop the connection
         */
        void respond(String requestHead, OutputStream out) throws IOException;
    }

    /** Like {@link Script}, with the connection's input for reading a body the script expects. */
    @FunctionalInterface
    public interface RawScript {
        /**
         * @param requestHead the request head as received
         * @param in the connection's input, positioned after the head (a Content-Length body is not skipped)
         * @param out the connection's output
         * @throws IOException to drop the connection
         */
        void respond(String requestHead, InputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger connections = new AtomicInteger();
    private final CopyOnWriteArrayList<String> heads = new CopyOnWriteArrayList<>();

    private ScriptedOrigin(ServerSocket server) {
        this.server = server;
    }

    /**
     * Starts the origin; each connection serves one request with {@code script}, then closes.
     *
     * @param script the answer
     * @return the running origin
     */
    public static ScriptedOrigin start(Script script) {
        return startRaw((head, in, out) -> {
            int cl = head.toLowerCase(Locale.ROOT).indexOf("\r\ncontent-length:");
            if (cl >= 0) {
                int end = head.indexOf("\r\n", cl + 2);
                in.skipNBytes(Long.parseLong(head.substring(cl + 17, end).trim()));
            }
            script.respond(head, out);
        });
    }

    /**
     * Starts an origin whose script reads the request body itself.
     *
     * @param script the answer
     * @return the running origin
     */
    public static ScriptedOrigin startRaw(RawScript script) {
        try {
            ScriptedOrigin origin = new ScriptedOrigin(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            origin.executor.execute(() -> origin.acceptLoop(script));
            return origin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptLoop(RawScript script) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                executor.execute(() -> serve(socket, script));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, RawScript script) {
        try (socket) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            heads.add(head);
            OutputStream out = socket.getOutputStream();
            script.respond(head, in, out);
            out.flush();
        } catch (IOException e) {
            // the script dropped the connection, or the proxy went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the request head");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /**
     * Writes ISO-8859-1 text.
     *
     * @param out the stream
     * @param text the text
     * @throws IOException on failure
     */
    public static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** @return {@code http://127.0.0.1:PORT} */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** @return connections accepted */
    public int connectionsAccepted() {
        return connections.get();
    }

    /** @return request heads received */
    public java.util.List<String> heads() {
        return heads;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        executor.shutdownNow();
    }
}
