package io.gatehouse.plugins.accesslog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A sink as slow as a stuck disk: every write waits until the test opens it (at most 30 s). */
final class BlockingSink implements LineSink {

    final CountDownLatch open = new CountDownLatch(1);
    final CountDownLatch firstWrite = new CountDownLatch(1);
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void write(String line) {
        firstWrite.countDown();
        try {
            open.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lines.add(line);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String describe() {
        return "blocking test sink";
    }
}
