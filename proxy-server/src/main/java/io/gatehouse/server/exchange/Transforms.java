package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyObserver;
import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.internal.TransformerChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The body transformers of one direction of one exchange, once they run: where the relay's
 * bytes go before observers and the receiver see them. One place for both directions: the start
 * over bytes already held, feeding, the end, and the abort (whose failures are logged, never
 * thrown). Guarded by the exchange's lock.
 */
final class Transforms {

    private static final Logger LOG = LoggerFactory.getLogger(Transforms.class);

    private TransformerChain chain;

    /** @return whether the body goes through transformers */
    boolean active() {
        return chain != null;
    }

    /**
     * Starts the transformers over {@code relay}: the bytes it held while the chain ran go
     * through them first, observers start, and a body that already ended ends through them.
     *
     * @param transformers in installation order
     * @param relay the body's relay
     * @param observers the body's observers, which see the new body
     * @param sink where the new body's bytes go (observe and relay them)
     */
    void start(List<BodyTransformer> transformers, BodyRelay relay, List<BodyObserver> observers, Consumer<ByteBuffer> sink) {
        chain = new TransformerChain(transformers, sink);
        boolean ended = relay.ended();
        List<? extends org.apache.hc.core5.http.Header> trailers = relay.trailers();
        ByteBuffer held = relay.takeHeldForTransform();
        relay.startObservers(observers);
        chain.data(held);
        if (ended) {
            chain.end();
            relay.receivedEnd(trailers);
        }
    }

    /** Feeds bytes of the body (only while {@link #active()}). */
    void data(ByteBuffer src) {
        chain.data(src);
    }

    /** The body ended: the transformers emit what is left (nothing when none run). */
    void end() {
        if (chain != null) {
            chain.end();
        }
    }

    /** The body will not go out whole: the transformers hear it once; nothing after their end. */
    void abort(Throwable cause) {
        if (chain != null) {
            report(chain.abort(cause));
        }
    }

    /** As {@link #abort}, and the body no longer goes through them (another answer replaces it). */
    void drop(Throwable cause) {
        abort(cause);
        chain = null;
    }

    /** Tells transformers whose body never comes to release what they hold. */
    static void abandon(List<BodyTransformer> transformers, Throwable cause) {
        report(TransformerChain.abandon(transformers, cause));
    }

    private static void report(List<RuntimeException> failures) {
        for (RuntimeException failure : failures) {
            LOG.warn("A body transformer failed in onAbort: {}", failure.toString());
        }
    }
}
