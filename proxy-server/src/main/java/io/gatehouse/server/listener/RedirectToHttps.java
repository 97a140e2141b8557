package io.gatehouse.server.listener;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.ResponseChannel;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncServerExchangeHandler;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.nio.support.ImmediateResponseExchangeHandler;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.URIAuthority;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The exchanges of a listener with {@code redirect-to-https}: no filter runs, every request is
 * answered {@code 308 Permanent Redirect} to the same host and target over HTTPS on the
 * configured port (308 keeps the method and body, unlike 301). A request without a host gets
 * {@code 400}.
 */
final class RedirectToHttps implements HandlerFactory<AsyncServerExchangeHandler> {

    private final int httpsPort;

    /** @param httpsPort the HTTPS port; 443 is left out of the location */
    RedirectToHttps(int httpsPort) {
        this.httpsPort = httpsPort;
    }

    @Override
    public AsyncServerExchangeHandler create(HttpRequest request, HttpContext context) {
        return new Answer();
    }

    /** Decides once the head has been checked (HttpCore has then set the authority from {@code Host}). */
    private final class Answer implements AsyncServerExchangeHandler {
        private AsyncServerExchangeHandler answer;

        @Override
        public void handleRequest(HttpRequest request, EntityDetails entityDetails, ResponseChannel responseChannel,
                                  HttpContext context) throws HttpException, IOException {
            URIAuthority authority = request.getAuthority();
            if (authority == null || authority.getHostName().isEmpty()) {
                BasicHttpResponse refused = new BasicHttpResponse(400);
                refused.addHeader("Connection", "close");
                answer = new ImmediateResponseExchangeHandler(refused, "a request to an HTTPS redirect needs a Host\n");
            } else {
                String location = location(authority.getHostName(), request.getPath());
                BasicHttpResponse redirect = new BasicHttpResponse(308);
                redirect.addHeader("Location", location);
                answer = new ImmediateResponseExchangeHandler(redirect, "moved to " + location + "\n");
            }
            answer.handleRequest(request, entityDetails, responseChannel, context);
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            capacityChannel.update(Integer.MAX_VALUE); // the body is read and dropped
        }

        @Override
        public void consume(ByteBuffer src) {
            src.position(src.limit());
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) {
        }

        @Override
        public int available() {
            return answer == null ? 0 : answer.available();
        }

        @Override
        public void produce(DataStreamChannel channel) throws IOException {
            if (answer != null) {
                answer.produce(channel);
            }
        }

        @Override
        public void failed(Exception cause) {
            if (answer != null) {
                answer.failed(cause);
            }
        }

        @Override
        public void releaseResources() {
            if (answer != null) {
                answer.releaseResources();
            }
        }
    }

    /**
     * @param host the requested host, without port
     * @param target the request target (path and query)
     * @return the HTTPS location
     */
    String location(String host, String target) {
        String hostPart = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        String path = target == null || target.isEmpty() || !target.startsWith("/") ? "/" : target;
        return "https://" + hostPart + (httpsPort == 443 ? "" : ":" + httpsPort) + path;
    }
}
