package io.gatehouse.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/** The requests an origin received, in order, with a way to wait for more. */
final class RequestLog {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<ReceivedRequest> requests = new ArrayList<>();

    /**
     * Numbers and records a request.
     *
     * @param make builds the request from its number
     * @return the recorded request
     */
    ReceivedRequest add(IntFunction<ReceivedRequest> make) {
        lock.lock();
        try {
            ReceivedRequest request = make.apply(requests.size() + 1);
            requests.add(request);
            arrived.signalAll();
            return request;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param which a filter
     * @return the matching requests, in order
     */
    List<ReceivedRequest> matching(Predicate<ReceivedRequest> which) {
        lock.lock();
        try {
            return requests.stream().filter(which).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param which a filter
     * @return how many requests match
     */
    int count(Predicate<ReceivedRequest> which) {
        lock.lock();
        try {
            int n = 0;
            for (ReceivedRequest request : requests) {
                if (which.test(request)) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the most recent request
     * @throws IllegalStateException when none arrived
     */
    ReceivedRequest last() {
        lock.lock();
        try {
            if (requests.isEmpty()) {
                throw new IllegalStateException("the origin has received no request");
            }
            return requests.get(requests.size() - 1);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until at least {@code count} requests arrived.
     *
     * @param count how many
     * @param timeout the longest wait
     * @return the first {@code count} requests
     * @throws AssertionError when they did not arrive in time
     */
    List<ReceivedRequest> await(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (requests.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the origin received " + requests.size() + " of " + count + " requests within " + timeout);
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
            return List.copyOf(new ArrayList<>(requests.subList(0, count)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for requests", e);
        } finally {
            lock.unlock();
        }
    }
}
