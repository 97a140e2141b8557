package io.gatehouse.plugins.ratelimit;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/** Sends a fixed number of requests from a few threads as fast as the proxy answers, and counts the statuses. */
final class Load {

    /**
     * @param statuses how many responses had each status
     * @param nanos from before the first request was sent to after the last response arrived
     */
    record Result(Map<Integer, Long> statuses, long nanos) {

        long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }

        double seconds() {
            return nanos / 1e9;
        }
    }

    private Load() {
    }

    /**
     * @param client the client
     * @param requests how many requests
     * @param workers how many threads send them (each waits for its answer before the next)
     * @param request the i-th request
     * @return the statuses and the time it took
     */
    static Result send(HttpClient client, int requests, int workers, IntFunction<HttpRequest> request) throws InterruptedException {
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long started = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            pool.execute(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests) {
                    int status;
                    try {
                        status = client.send(request.apply(i), HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
            pool.shutdownNow();
            throw new IllegalStateException("the load did not finish in 5 minutes");
        }
        long nanos = System.nanoTime() - started;
        Map<Integer, Long> counted = new TreeMap<>();
        statuses.forEach((status, count) -> counted.put(status, count.sum()));
        return new Result(counted, nanos);
    }
}
