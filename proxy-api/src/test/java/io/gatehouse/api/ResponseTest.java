package io.gatehouse.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseTest {

    @Test
    void builderSetsStatusHeadersAndBody() {
        Response response = Response.status(201)
                .header("Location", "/items/7")
                .header("X-Tag", "a")
                .header("x-tag", "b")
                .body("created")
                .build();
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.headers().first("location")).contains("/items/7");
        assertThat(response.headers().all("X-TAG")).containsExactly("a", "b");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("created");
        assertThat(response.bodyLength()).isEqualTo(7);
    }

    @Test
    void defaultBodyIsEmpty() {
        Response response = Response.status(204).build();
        assertThat(response.body()).isEmpty();
        assertThat(response.bodyLength()).isZero();
        assertThat(response.headers().size()).isZero();
        assertThat(response.bodyBuffer().remaining()).isZero();
    }

    @Test
    void stringBodyIsUtf8() {
        Response response = Response.status(200).body("grüß").build();
        assertThat(response.body()).containsExactly("grüß".getBytes(StandardCharsets.UTF_8));
        assertThat(response.bodyLength()).isEqualTo(6);
    }

    @Test
    void textResponse() {
        Response response = Response.text(404, "no route");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.headers().first("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(response.headers().all("Content-Type")).hasSize(1);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("no route\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {199, 600, 100, 0, -1, 1000})
    void statusOutsideFinalRangeRejected(int status) {
        assertThatThrownBy(() -> Response.status(status))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(status));
        assertThatThrownBy(() -> Response.text(status, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusBoundsAccepted() {
        assertThat(Response.status(200).build().status()).isEqualTo(200);
        assertThat(Response.status(599).build().status()).isEqualTo(599);
    }

    @Test
    void bodyBytesAreCopiedOnTheWayIn() {
        byte[] bytes = "abc".getBytes(StandardCharsets.US_ASCII);
        Response.Builder builder = Response.status(200).body(bytes);
        bytes[0] = 'X';
        Response response = builder.build();
        assertThat(response.body()).containsExactly('a', 'b', 'c');
    }

    @Test
    void bodyBytesAreCopiedOnTheWayOut() {
        Response response = Response.status(200).body("abc").build();
        byte[] first = response.body();
        first[0] = 'X';
        assertThat(response.body()).containsExactly('a', 'b', 'c');
        assertThat(response.body()).isNotSameAs(response.body());
    }

    @Test
    void bodyBufferIsReadOnlyView() {
        Response response = Response.status(200).body("abc").build();
        ByteBuffer buffer = response.bodyBuffer();
        assertThat(buffer.isReadOnly()).isTrue();
        assertThat(buffer.remaining()).isEqualTo(3);
        assertThat(buffer.get(0)).isEqualTo((byte) 'a');
        assertThatThrownBy(() -> buffer.put(0, (byte) 'X')).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(response.body()).containsExactly('a', 'b', 'c');
    }

    @Test
    void headersAreImmutableAndIndependentOfBuilder() {
        Response.Builder builder = Response.status(200).header("X-A", "1");
        Response response = builder.build();
        builder.header("X-B", "2");
        assertThat(response.headers().contains("X-B")).isFalse();
        assertThat(response.headers().size()).isEqualTo(1);
        if (response.headers() instanceof MutableHttpFields mutable) {
            assertThatThrownBy(() -> mutable.add("X-C", "3")).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void builderRejectsInvalidHeaders() {
        Response.Builder builder = Response.status(200);
        assertThatThrownBy(() -> builder.header("Bad Name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.header("X-A", "v\r\nSet-Cookie: x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringSummarises() {
        assertThat(Response.status(418).header("A", "1").body("tea").build())
                .hasToString("Response[418, [A: 1], 3 bytes]");
    }

    @Test
    void aPartOfAnotherBodyIsSharedNotCopied() {
        Response whole = Response.status(200).body("0123456789").build();

        Response part = Response.status(206).body(whole, 2, 5).build();
        Response partOfPart = Response.status(206).body(part, 1, 3).build();

        assertThat(part.bodyLength()).isEqualTo(5);
        assertThat(new String(part.body(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("23456");
        assertThat(java.nio.charset.StandardCharsets.US_ASCII.decode(part.bodyBuffer()).toString()).isEqualTo("23456");
        assertThat(new String(partOfPart.body(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("345");
        assertThat(part.bodyBuffer().isReadOnly()).isTrue();
        assertThatThrownBy(() -> Response.status(206).body(whole, 8, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
