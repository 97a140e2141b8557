package io.gatehouse.plugins.cache.fanout;

/**
 * Where this instance's invalidations go so that other instances apply them too. Publishing
 * never blocks and never fails the request that caused it.
 */
public interface FanOut extends AutoCloseable {

    /** No fan-out: invalidations stay on this instance. */
    FanOut NONE = new FanOut() {
        @Override
        public void start() {
        }

        @Override
        public void publish(InvalidationMessage message) {
        }

        @Override
        public String state() {
            return "off";
        }

        @Override
        public void close() {
        }
    };

    /** Starts connecting in the background, once the receiving side is ready for messages; returns at once. */
    void start();

    /** Sends {@code message} to the other instances, at most once, in the background. */
    void publish(InvalidationMessage message);

    /** @return a short state for the admin {@code /status} */
    String state();

    @Override
    void close();
}
