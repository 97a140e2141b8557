package io.gatehouse.server.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket echo origin for tests, on a plain {@link ServerSocket}: the RFC 6455 handshake,
 * then every frame sent back unmasked (a close frame answered and the connection closed). A
 * request for {@code /refuse} is answered {@code 403} with a body and the connection kept for
 * the next request. With {@link #holdReading}, it stops reading after the handshake until
 * released.
 */
final class WebSocketOrigin implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** The request heads received, in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Counted down when a connection ended (EOF or error), after its handshake. */
    final CountDownLatch connectionEnded = new CountDownLatch(1);
    /** Counted down when a 101 went out. */
    final CountDownLatch upgraded = new CountDownLatch(1);
    private volatile CountDownLatch holdReading = new CountDownLatch(0);

    private final String scheme;

    private WebSocketOrigin(ServerSocket server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        threads.execute(this::accept);
    }

    static WebSocketOrigin start() throws IOException {
        return new WebSocketOrigin(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http");
    }

    /** @param tls the server's TLS context: the origin speaks {@code wss} */
    static WebSocketOrigin start(javax.net.ssl.SSLContext tls) throws IOException {
        return new WebSocketOrigin(tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()), "https");
    }

    /** @return {@code http://127.0.0.1:port}, or {@code https://} */
    String url() {
        return scheme + "://127.0.0.1:" + server.getLocalPort();
    }

    /** Stops reading after the next handshake until {@code release} is counted down. */
    void holdReading(CountDownLatch release) {
        holdReading = release;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                requests.add(head);
                if (head.startsWith("GET /chunked-refusal")) { // two chunks, an extension, a trailer
                    out.write(("HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\nX-Origin: ws-origin\r\n\r\n"
                            + "6;note=x\r\nlog in\r\n6\r\n first\r\n0\r\nX-Trailer: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                if (head.startsWith("GET /refuse")) {
                    byte[] body = "no websocket here".getBytes(StandardCharsets.US_ASCII);
                    out.write(("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nX-Origin: ws-origin\r\nContent-Length: "
                            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    continue;
                }
                String key = field(head, "Sec-WebSocket-Key");
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                upgraded.countDown();
                if (!holdReading.await(60, TimeUnit.SECONDS)) {
                    return;
                }
                echo(new DataInputStream(in), out);
                return;
            }
        } catch (IOException | InterruptedException e) {
            // the connection ended
        } finally {
            connectionEnded.countDown();
        }
    }

    private static void echo(DataInputStream in, OutputStream out) throws IOException {
        while (true) {
            int first;
            try {
                first = in.readUnsignedByte();
            } catch (EOFException e) {
                return;
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((second & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
            frame.write(first);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65536) {
                frame.write(126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length);
            } else {
                frame.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >>> shift));
                }
            }
            frame.write(payload);
            out.write(frame.toByteArray());
            out.flush();
            if ((first & 0x0f) == 8) {
                return; // close answered
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b;
            try {
                b = in.read();
            } catch (SocketException e) {
                return null;
            }
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String field(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        throw new IllegalStateException("no " + name + " in " + head);
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : new ArrayList<>(sockets)) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
