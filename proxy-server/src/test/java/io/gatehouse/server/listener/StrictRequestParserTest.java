package io.gatehouse.server.listener;

import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.NotImplementedException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictRequestParserTest {

    private static HttpRequest request(String... namesAndValues) {
        BasicHttpRequest request = new BasicHttpRequest("POST", "/");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            request.addHeader(namesAndValues[i], namesAndValues[i + 1]);
        }
        return request;
    }

    @Test
    void validFramingPasses() {
        assertThatCode(() -> StrictRequestParser.checkFraming(request())).doesNotThrowAnyException();
        assertThatCode(() -> StrictRequestParser.checkFraming(request("Content-Length", "42"))).doesNotThrowAnyException();
        assertThatCode(() -> StrictRequestParser.checkFraming(request("Transfer-Encoding", "Chunked"))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "+1", "1 2", "0x10", "1,1", "99999999999999999999"})
    void invalidContentLengthIsRefused(String value) {
        assertThatThrownBy(() -> StrictRequestParser.checkFraming(request("Content-Length", value)))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void ambiguousFramingIsRefused() {
        assertThatThrownBy(() -> StrictRequestParser.checkFraming(request("Content-Length", "1", "Content-Length", "1")))
                .isInstanceOf(ProtocolException.class).hasMessage("more than one Content-Length");
        assertThatThrownBy(() -> StrictRequestParser.checkFraming(request("Content-Length", "1", "Transfer-Encoding", "chunked")))
                .isInstanceOf(ProtocolException.class).hasMessage("both Content-Length and Transfer-Encoding");
        assertThatThrownBy(() -> StrictRequestParser.checkFraming(request("Transfer-Encoding", "chunked, identity")))
                .isInstanceOf(ProtocolException.class).hasMessage("Transfer-Encoding must end with chunked");
        assertThatThrownBy(() -> StrictRequestParser.checkFraming(request("Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked")))
                .isInstanceOf(ProtocolException.class).hasMessage("invalid Transfer-Encoding");
    }

    @Test
    void unsupportedCodingsAreNotImplemented() {
        assertThatThrownBy(() -> StrictRequestParser.checkFraming(request("Transfer-Encoding", "gzip, chunked")))
                .isInstanceOf(NotImplementedException.class);
    }

    @Test
    void transferEncodingOnHttp10IsRefused() throws HttpException {
        HttpRequest request = request("Transfer-Encoding", "chunked");
        request.setVersion(HttpVersion.HTTP_1_0);

        assertThatThrownBy(() -> StrictRequestParser.checkFraming(request)).isInstanceOf(ProtocolException.class);
    }
}
