package io.gatehouse.server.exchange;

import io.gatehouse.api.BodyTransformer;
import io.gatehouse.api.internal.TransformerChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The server's reporting of transformers that fail while being told their body will not come. */
final class Transforms {

    private static final Logger LOG = LoggerFactory.getLogger(Transforms.class);

    private Transforms() {
    }

    static void abandon(List<BodyTransformer> transformers, Throwable cause) {
        report(TransformerChain.abandon(transformers, cause));
    }

    static void abort(TransformerChain chain, Throwable cause) {
        report(chain.abort(cause));
    }

    private static void report(List<RuntimeException> failures) {
        for (RuntimeException failure : failures) {
            LOG.warn("A body transformer failed in onAbort: {}", failure.toString());
        }
    }
}
