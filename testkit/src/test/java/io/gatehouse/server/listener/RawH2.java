package io.gatehouse.server.listener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A raw cleartext HTTP/2 client for tests that must send what a real client would not: frames written by hand. */
final class RawH2 {

    private RawH2() {
    }

    /**
     * Connects with prior knowledge: the preface and an empty SETTINGS frame are sent.
     *
     * @param port the proxy's h2c port on 127.0.0.1
     * @return the connection, reads timing out after 20 s
     */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(Http2Protocol.PREFACE);
        frame(out, 0x4, 0, 0, new byte[0]); // SETTINGS
        return socket;
    }

    /** Writes one frame (not flushed). */
    static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(payload.length >> 16);
        frame.write(payload.length >> 8);
        frame.write(payload.length);
        frame.write(type);
        frame.write(flags);
        frame.write(stream >> 24);
        frame.write(stream >> 16);
        frame.write(stream >> 8);
        frame.write(stream);
        frame.writeBytes(payload);
        out.write(frame.toByteArray());
    }
}
