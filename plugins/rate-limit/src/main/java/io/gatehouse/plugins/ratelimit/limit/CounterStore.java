package io.gatehouse.plugins.ratelimit.limit;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a filter's limits keep their counters: in this process, or in Redis shared by every
 * instance. Thread-safe; never blocks the calling thread.
 */
public interface CounterStore extends AutoCloseable {

    /**
     * Decides one request against every limit that applies to it, atomically per limit: when one
     * limit rejects, the others do not charge the request.
     *
     * @param keys the request's key for each limit
     * @return the verdict; a store that answers at once returns a completed stage, and a remote
     *     store's stage completes within its timeout, with its failure policy's verdict if need be
     */
    CompletionStage<Verdict> acquire(KeyValues keys);

    /** @return lines for the admin {@code /status}: keys held, counts, the store's health */
    List<String> status();

    /** Releases connections and threads. */
    @Override
    void close();
}
