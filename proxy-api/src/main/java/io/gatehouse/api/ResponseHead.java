package io.gatehouse.api;

/**
 * A mutable view of the response head before it is sent to the client.
 *
 * @since 0.1
 */
public interface ResponseHead {

    /** @return the status code */
    int status();

    /**
     * Changes the status code sent to the client.
     *
     * @param status 200 to 599
     */
    void setStatus(int status);

    /** @return the header fields, a live mutable view */
    MutableHttpFields headers();
}
