package io.gatehouse.server.exchange;

import io.gatehouse.server.config.Cidr;
import io.gatehouse.server.config.Forwarding;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BufferedHeader;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.util.CharArrayBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeadersTest {

    @Test
    void trailersAreAcceptedWhenAnyTeFieldListsThem() {
        BasicHttpRequest request = new BasicHttpRequest("POST", "/");
        assertThat(ProxyHeaders.acceptsTrailers(request)).isFalse();
        request.addHeader("TE", "gzip;q=0.5, deflate");
        assertThat(ProxyHeaders.acceptsTrailers(request)).isFalse();
        request.addHeader("te", "Trailers ; q=1");
        assertThat(ProxyHeaders.acceptsTrailers(request)).isTrue();
        assertThat(ProxyHeaders.acceptsTrailers(withTe("gzip, trailers"))).isTrue();
        assertThat(ProxyHeaders.acceptsTrailers(withTe("trailersx"))).isFalse();
    }

    private static BasicHttpRequest withTe(String value) {
        BasicHttpRequest request = new BasicHttpRequest("GET", "/");
        request.addHeader("TE", value);
        return request;
    }

    @Test
    void hopByHopFieldsAndConnectionOptionsAreRemoved() {
        BasicHttpRequest request = new BasicHttpRequest("GET", "/");
        request.addHeader("Connection", "keep-alive, X-Private");
        request.addHeader("Connection", "Upgrade");
        request.addHeader("X-Private", "1");
        request.addHeader("Keep-Alive", "timeout=5");
        request.addHeader("Upgrade", "h2c");
        request.addHeader("TE", "trailers");
        request.addHeader("Proxy-Connection", "keep-alive");
        request.addHeader("Transfer-Encoding", "chunked");
        request.addHeader("X-Public", "2");

        ProxyHeaders.stripHopByHop(request);

        assertThat(request.getHeaders()).extracting(h -> h.getName()).containsExactly("X-Public");
    }

    @Test
    void wantsCloseFollowsConnectionAndVersion() {
        BasicHttpRequest close = new BasicHttpRequest("GET", "/");
        close.addHeader("Connection", "Close");
        BasicHttpRequest old = new BasicHttpRequest("GET", "/");
        old.setVersion(HttpVersion.HTTP_1_0);
        BasicHttpRequest oldKeepAlive = new BasicHttpRequest("GET", "/");
        oldKeepAlive.setVersion(HttpVersion.HTTP_1_0);
        oldKeepAlive.addHeader("Connection", "keep-alive");

        assertThat(ProxyHeaders.wantsClose(close)).isTrue();
        assertThat(ProxyHeaders.wantsClose(old)).isTrue();
        assertThat(ProxyHeaders.wantsClose(oldKeepAlive)).isFalse();
        assertThat(ProxyHeaders.wantsClose(new BasicHttpRequest("GET", "/"))).isFalse();
    }

    @Test
    void ipv6ClientsAreQuotedInForwarded() {
        BasicHttpRequest request = new BasicHttpRequest("GET", "/");
        request.setAuthority(new URIAuthority("example.com", 8443));

        ProxyHeaders.applyForwarding(request, new InetSocketAddress("::1", 5000), "http",
                new Forwarding(List.of(), true, "gatehouse"));

        assertThat(request.getFirstHeader("Forwarded").getValue()).isEqualTo("for=\"[0:0:0:0:0:0:0:1]\";host=\"example.com:8443\";proto=http");
        assertThat(request.getFirstHeader("X-Forwarded-For").getValue()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void trustIsDecidedByTheDirectPeerOnly() {
        Forwarding rules = new Forwarding(List.of(Cidr.parse("10.0.0.0/8")), true, "gatehouse");
        BasicHttpRequest fromTrusted = new BasicHttpRequest("GET", "/");
        fromTrusted.addHeader("X-Forwarded-For", "1.2.3.4");
        BasicHttpRequest fromOther = new BasicHttpRequest("GET", "/");
        fromOther.addHeader("X-Forwarded-For", "1.2.3.4");

        ProxyHeaders.applyForwarding(fromTrusted, new InetSocketAddress("10.1.2.3", 1), "http", rules);
        ProxyHeaders.applyForwarding(fromOther, new InetSocketAddress("192.168.1.1", 1), "http", rules);

        assertThat(fromTrusted.getFirstHeader("X-Forwarded-For").getValue()).isEqualTo("1.2.3.4, 10.1.2.3");
        assertThat(fromOther.getFirstHeader("X-Forwarded-For").getValue()).isEqualTo("192.168.1.1");
    }

    @Test
    void rawHeaderBytesAreChecked() {
        CharArrayBuffer nul = new CharArrayBuffer(16);
        nul.append("X-A: a\0b");
        CharArrayBuffer fine = new CharArrayBuffer(16);
        fine.append("X-A: ab");

        assertThat(ProxyHeaders.hasForbiddenCharacters(BufferedHeader.create(nul))).isTrue();
        assertThat(ProxyHeaders.hasForbiddenCharacters(BufferedHeader.create(fine))).isFalse();
        assertThat(ProxyHeaders.hasForbiddenCharacters(new BasicHeader("X", "ok"))).isFalse();
    }
}
