package io.gatehouse.api.testkit;

import io.gatehouse.api.MutableHttpFields;
import io.gatehouse.api.ResponseHead;
import io.gatehouse.api.internal.Checks;

/** The response head of a {@link TestExchange}, with the server's status range. */
final class TestResponse implements ResponseHead {
    private int status;
    final MutableHttpFields headers = MutableHttpFields.create();

    TestResponse(int status) {
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public void setStatus(int status) {
        this.status = Checks.responseStatus(status);
    }

    @Override
    public MutableHttpFields headers() {
        return headers;
    }
}
