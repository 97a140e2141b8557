package io.gatehouse.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain socket to the proxy: sends bytes as given and reads what comes back, with timeouts. */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * @param port the proxy port
     * @return an open connection with a 10 s read timeout
     */
    public static RawConnection open(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends ISO-8859-1 text as bytes.
     *
     * @param text the bytes to send
     * @return this
     */
    public RawConnection send(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until the peer closes the connection or the read timeout elapses.
     *
     * @return everything received
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
     * Reads one response: head, then a Content-Length body or a chunked body.
     *
     * @return the response text
     */
    public String readResponse() {
        try {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("connection closed inside a response head: " + head);
                }
                head.append((char) b);
            }
            String text = head.toString();
            String lower = text.toLowerCase();
            int status = Integer.parseInt(text.substring(9, 12));
            StringBuilder body = new StringBuilder();
            if (status >= 200 && status != 204 && status != 304) {
                int cl = lower.indexOf("\r\ncontent-length:");
                if (cl >= 0) {
                    int end = lower.indexOf("\r\n", cl + 2);
                    int length = Integer.parseInt(text.substring(cl + 17, end).trim());
                    for (int i = 0; i < length; i++) {
                        body.append((char) in.read());
                    }
                } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
                    String line;
                    while (!(line = readLine()).equals("0")) {
                        int size = Integer.parseInt(line.trim(), 16);
                        for (int i = 0; i < size; i++) {
                            body.append((char) in.read());
                        }
                        readLine();
                    }
                    String trailer;
                    while (!(trailer = readLine()).isEmpty()) {
                        body.append("[trailer ").append(trailer).append(']');
                    }
                }
            }
            return text + body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
