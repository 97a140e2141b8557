package io.gatehouse.server.exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What filters register on one body of one exchange (observers, transformers): open while the
 * chain phase that may register runs, from any thread, then sealed when delivery starts.
 *
 * @param <T> what is registered
 */
final class Registrations<T> {

    private final String tooLate;
    private List<T> items = List.of();
    private boolean sealed;

    /** @param tooLate the message of the failure when registering after the seal */
    Registrations(String tooLate) {
        this.tooLate = tooLate;
    }

    synchronized void add(T item) {
        Objects.requireNonNull(item);
        if (sealed) {
            throw new IllegalStateException(tooLate);
        }
        if (items.isEmpty()) {
            items = new ArrayList<>(2);
        }
        items.add(item);
    }

    /** @return what was registered, in order, empty when nothing; later registrations fail */
    synchronized List<T> seal() {
        sealed = true;
        return items;
    }

    /** @return as {@link #seal}, but only to the first caller: later calls get an empty list (a hand-over) */
    synchronized List<T> sealAndTake() {
        sealed = true;
        List<T> taken = items;
        items = List.of();
        return taken;
    }
}
