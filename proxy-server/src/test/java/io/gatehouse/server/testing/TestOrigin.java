package io.gatehouse.server.testing;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.impl.bootstrap.HttpServer;
import org.apache.hc.core5.http.impl.bootstrap.ServerBootstrap;
import org.apache.hc.core5.http.impl.io.DefaultBHttpServerConnection;
import org.apache.hc.core5.http.impl.io.DefaultBHttpServerConnectionFactory;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.io.HttpRequestHandler;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 origin for tests (HttpCore 5 classic server on an ephemeral loopback port):
 * counts accepted connections and records request heads.
 */
public final class TestOrigin implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger connections;
    private final List<ClassicHttpRequest> requests;

    private TestOrigin(HttpServer server, AtomicInteger connections, List<ClassicHttpRequest> requests) {
        this.server = server;
        this.connections = connections;
        this.requests = requests;
    }

    /**
     * Starts an origin that answers every request with {@code handler}.
     *
     * @param handler the handler
     * @return the running origin
     */
    public static TestOrigin start(HttpRequestHandler handler) {
        AtomicInteger connections = new AtomicInteger();
        List<ClassicHttpRequest> requests = new CopyOnWriteArrayList<>();
        HttpConnectionFactory<DefaultBHttpServerConnection> base = DefaultBHttpServerConnectionFactory.builder().build();
        HttpConnectionFactory<DefaultBHttpServerConnection> counting = new HttpConnectionFactory<>() {
            @Override
            public DefaultBHttpServerConnection createConnection(Socket socket) throws IOException {
                connections.incrementAndGet();
                return base.createConnection(socket);
            }
        };
        HttpRequestHandler recording = (ClassicHttpRequest request, ClassicHttpResponse response, HttpContext context) -> {
            requests.add(request);
            handler.handle(request, response, context);
        };
        HttpServer server = ServerBootstrap.bootstrap()
                .setLocalAddress(InetAddress.getLoopbackAddress())
                .setListenerPort(0)
                .setSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.ofSeconds(30)).setTcpNoDelay(true).build())
                .setConnectionFactory(counting)
                .setRequestRouter((request, context) -> recording)
                .create();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestOrigin(server, connections, requests);
    }

    /** @return the port */
    public int port() {
        return server.getLocalPort();
    }

    /** @return {@code http://127.0.0.1:PORT} */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** @return connections accepted so far */
    public int connectionsAccepted() {
        return connections.get();
    }

    /** @return request heads received so far */
    public List<ClassicHttpRequest> requests() {
        return requests;
    }

    /** @return the last request received */
    public ClassicHttpRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("the origin received no request");
        }
        return requests.get(requests.size() - 1);
    }

    @Override
    public void close() {
        server.close(CloseMode.IMMEDIATE);
    }
}
