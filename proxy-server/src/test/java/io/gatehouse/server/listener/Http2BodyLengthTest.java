package io.gatehouse.server.listener;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http2.H2Error;
import org.apache.hc.core5.http2.H2StreamResetException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Http2BodyLengthTest {

    private static final EntityDetails UNKNOWN = new BasicEntityDetails(-1, null);

    private static BasicHttpRequest post(String... contentLengths) {
        BasicHttpRequest request = new BasicHttpRequest("POST", "/");
        for (String value : contentLengths) {
            request.addHeader("Content-Length", value);
        }
        return request;
    }

    @Test
    void theDeclaredLengthBecomesTheBodysLength() throws Exception {
        EntityDetails entity = Http2BodyLength.of(post("42"), UNKNOWN).applyTo(UNKNOWN);

        assertThat(entity.getContentLength()).isEqualTo(42);
        assertThat(entity.isChunked()).isFalse();
    }

    @Test
    void withoutTheFieldTheLengthStaysUnknownAndAnyAmountPasses() throws Exception {
        Http2BodyLength length = Http2BodyLength.of(post(), UNKNOWN);
        length.received(1_000_000);
        length.ended();

        assertThat(length.applyTo(UNKNOWN).getContentLength()).isEqualTo(-1);
        assertThat(length.applyTo(null)).isNull();
    }

    @Test
    void exactlyTheDeclaredBytesPass() throws Exception {
        Http2BodyLength length = Http2BodyLength.of(post("10"), UNKNOWN);
        length.received(4);
        length.received(6);

        length.ended();
    }

    @Test
    void oneByteMoreThanDeclaredResetsTheStreamWithProtocolError() throws Exception {
        Http2BodyLength length = Http2BodyLength.of(post("10"), UNKNOWN);
        length.received(10);

        assertThatThrownBy(() -> length.received(1)).isInstanceOf(H2StreamResetException.class)
                .extracting(e -> ((H2StreamResetException) e).getCode()).isEqualTo(H2Error.PROTOCOL_ERROR.getCode());
    }

    @Test
    void anEndBeforeTheDeclaredLengthResetsTheStreamWithProtocolError() throws Exception {
        Http2BodyLength length = Http2BodyLength.of(post("10"), UNKNOWN);
        length.received(9);

        assertThatThrownBy(length::ended).isInstanceOf(H2StreamResetException.class)
                .extracting(e -> ((H2StreamResetException) e).getCode()).isEqualTo(H2Error.PROTOCOL_ERROR.getCode());
    }

    @Test
    void aZeroLengthBodyMayEndAtOnce() throws Exception {
        Http2BodyLength.of(post("0"), UNKNOWN).ended();
        Http2BodyLength.of(post("0"), null).ended();
    }

    @Test
    void badFieldsAreProtocolErrorsAnswered400() {
        assertThatThrownBy(() -> Http2BodyLength.of(post("1x"), UNKNOWN)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Http2BodyLength.of(post("-1"), UNKNOWN)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Http2BodyLength.of(post("1, 1"), UNKNOWN)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Http2BodyLength.of(post("1", "1"), UNKNOWN)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Http2BodyLength.of(post(""), UNKNOWN)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Http2BodyLength.of(post("1234567890123456789"), UNKNOWN))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void aLengthOnARequestWithoutBodyIsAProtocolError() {
        assertThatThrownBy(() -> Http2BodyLength.of(post("3"), null)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("without body");
    }
}
