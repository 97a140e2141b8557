package io.gatehouse.plugins.loadbalancer;

import io.gatehouse.api.Exchange;

import java.util.List;

/** A balancing policy: picks one endpoint among the available ones for a request. Thread-safe, non-blocking. */
interface Picker {

    /**
     * @param candidates the endpoints a request may go to now, in cluster order; never empty
     * @param exchange the request, for policies that hash a key of it
     * @return one of {@code candidates}
     */
    Endpoint pick(List<Endpoint> candidates, Exchange exchange);
}
