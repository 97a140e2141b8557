package io.gatehouse.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A plain socket to a proxy (or any HTTP/1.1 server) on loopback: sends bytes exactly as given,
 * for malformed and hostile input no HTTP client would send, and reads what comes back. Every
 * read has a timeout (10 seconds unless set). Text is sent and read as ISO-8859-1, one char per
 * byte.
 *
 * <pre>{@code
 * try (RawConnection raw = gatehouse.raw()) {
 *     String response = raw.send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").readUntilClose();
 *     assertTrue(response.startsWith("HTTP/1.1 400 "));
 * }
 * }</pre>
 *
 * @since 0.2
 */
public final class RawConnection implements AutoCloseable {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * @param port a port on the loopback address
     * @return an open connection
     */
    public static RawConnection open(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param timeout how long each read may wait for bytes
     * @return this
     */
    public RawConnection timeout(Duration timeout) {
        try {
            socket.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends text as ISO-8859-1 bytes.
     *
     * @param text the bytes to send
     * @return this
     */
    public RawConnection send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends bytes.
     *
     * @param bytes the bytes to send
     * @return this
     */
    public RawConnection send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until the peer closes the connection (or resets it).
     *
     * @return everything received
     * @throws AssertionError when the connection stays open past the read timeout
     */
    public String readUntilClose() {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection not closed within the read timeout; received: "
                    + received.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // reset by peer: return what arrived
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads one response head, up to and including its empty line (for responses to
     * {@code HEAD}, whose framing fields announce a body that does not come).
     *
     * @return the head
     */
    public String readHead() {
        try {
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("connection closed inside a response head: " + head);
                }
                head.append((char) b);
            }
            return head.toString();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no whole response head within the read timeout");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one response: its head, then a Content-Length or chunked body. Trailer fields of a
     * chunked body are appended as {@code [trailer NAME: VALUE]}. An interim (1xx) response is
     * one response of its own.
     *
     * @return the response text, head and body
     */
    public String readResponse() {
        String head = readHead();
        String lower = head.toLowerCase(Locale.ROOT);
        int status = Integer.parseInt(head.substring(9, 12));
        StringBuilder body = new StringBuilder();
        try {
            if (status >= 200 && status != 204 && status != 304) {
                int cl = lower.indexOf("\r\ncontent-length:");
                if (cl >= 0) {
                    int end = lower.indexOf("\r\n", cl + 2);
                    int length = Integer.parseInt(head.substring(cl + 17, end).trim());
                    body.append(new String(readExactly(length), StandardCharsets.ISO_8859_1));
                } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
                    String line;
                    while (!(line = readLine()).equals("0")) {
                        int size = Integer.parseInt(line.trim(), 16);
                        body.append(new String(readExactly(size), StandardCharsets.ISO_8859_1));
                        readLine();
                    }
                    String trailer;
                    while (!(trailer = readLine()).isEmpty()) {
                        body.append("[trailer ").append(trailer).append(']');
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no whole response body within the read timeout; so far: " + head + body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return head + body;
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new AssertionError("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Closes the socket. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
