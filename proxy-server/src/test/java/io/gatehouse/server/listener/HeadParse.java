package io.gatehouse.server.listener;

import io.gatehouse.server.config.Limits;
import io.gatehouse.server.exchange.RejectedRequest;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.NotImplementedException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.RequestHeaderFieldsTooLargeException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs one request head through a fresh {@link StrictRequestParser}, the way HttpCore would call
 * it with the whole head in one read, and says what the client would get.
 */
final class HeadParse {

    private static final Limits LIMITS = new Limits(8192, 32768, 1 << 20, 1000);

    private HeadParse() {
    }

    /**
     * @param head the bytes of a head, ISO-8859-1
     * @return {@code forwarded}, {@code incomplete}, or the status the client would get
     *     ({@code 400}, {@code 414}, ...)
     */
    static String verdict(String head) {
        StrictRequestParser parser = new StrictRequestParser(LIMITS, Long.MAX_VALUE);
        try {
            HttpRequest request = parser.parse(new ByteInput(head.getBytes(StandardCharsets.ISO_8859_1)), false);
            if (request == null) {
                return "incomplete";
            }
            if (request instanceof RejectedRequest) {
                return String.valueOf(((RejectedRequest) request).status());
            }
            return "forwarded";
        } catch (NotImplementedException e) {
            return "501";
        } catch (RequestHeaderFieldsTooLargeException e) {
            return "431";
        } catch (ProtocolException e) {
            return "400";
        } catch (HttpException | IOException e) {
            return e.getClass().getSimpleName();
        }
    }

    /**
     * @param head as for {@link #verdict}
     * @return the parsed request
     * @throws AssertionError when it is refused or incomplete
     */
    static HttpRequest parsed(String head) {
        StrictRequestParser parser = new StrictRequestParser(LIMITS, Long.MAX_VALUE);
        try {
            HttpRequest request = parser.parse(new ByteInput(head.getBytes(StandardCharsets.ISO_8859_1)), false);
            if (request == null || request instanceof RejectedRequest) {
                throw new AssertionError("not parsed: " + verdict(head));
            }
            return request;
        } catch (HttpException | IOException e) {
            throw new AssertionError("refused: " + e.getMessage(), e);
        }
    }

    /**
     * @param head as for {@link #verdict}
     * @return the message of the refusal: the exception's, or the rejected request's reason
     */
    static String refusal(String head) {
        StrictRequestParser parser = new StrictRequestParser(LIMITS, Long.MAX_VALUE);
        try {
            HttpRequest request = parser.parse(new ByteInput(head.getBytes(StandardCharsets.ISO_8859_1)), false);
            if (request instanceof RejectedRequest) {
                return ((RejectedRequest) request).reason();
            }
            throw new AssertionError("not refused: " + request);
        } catch (HttpException | IOException e) {
            return e.getMessage();
        }
    }

    /**
     * Runs a refused head and then a valid one through one parser, as when a client pipelines
     * them: the second must never come out as a request.
     *
     * @param refused a head the parser refuses
     * @param next the bytes after it
     * @return {@code incomplete} when the second parse yields nothing, else as for {@link #verdict}
     */
    static String afterRefusal(String refused, String next) {
        StrictRequestParser parser = new StrictRequestParser(LIMITS, Long.MAX_VALUE);
        ByteInput input = new ByteInput((refused + next).getBytes(StandardCharsets.ISO_8859_1));
        try {
            HttpRequest first = parser.parse(input, false);
            if (!(first instanceof RejectedRequest)) {
                throw new AssertionError("not refused: " + first);
            }
            parser.reset(); // as HttpCore does after each head
        } catch (HttpException | IOException e) {
            // refused by an exception: HttpCore answers it
        }
        try {
            HttpRequest second = parser.parse(input, false);
            return second == null ? "incomplete" : second instanceof RejectedRequest ? "rejected" : "forwarded";
        } catch (HttpException | IOException e) {
            return "refused again";
        }
    }

    /**
     * Runs a valid head and then another through one parser, as when a client pipelines them.
     *
     * @return {@code incomplete} when the second parse yields nothing, else as for {@link #verdict}
     */
    static String afterAccepted(String first, String next) {
        StrictRequestParser parser = new StrictRequestParser(LIMITS, Long.MAX_VALUE);
        ByteInput input = new ByteInput((first + next).getBytes(StandardCharsets.ISO_8859_1));
        try {
            HttpRequest request = parser.parse(input, false);
            if (request == null || request instanceof RejectedRequest) {
                throw new AssertionError("not accepted: " + first);
            }
            parser.reset(); // as HttpCore does after each head
            HttpRequest second = parser.parse(input, false);
            return second == null ? "incomplete" : second instanceof RejectedRequest ? "rejected" : "forwarded";
        } catch (HttpException | IOException e) {
            throw new AssertionError(e);
        }
    }
}
