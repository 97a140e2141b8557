package io.gatehouse.api.testkit;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.ExchangeContract;

/** The test kit's exchange keeps the contract the server's keeps. */
class TestExchangeContractTest extends ExchangeContract {

    @Override
    protected Exchange arrived(String method, String target, String host, String... namesAndValues) {
        TestExchange exchange = TestExchange.request(method, target).header("Host", host);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            exchange.header(namesAndValues[i], namesAndValues[i + 1]);
        }
        return exchange;
    }

    @Override
    protected void endRequestChain(Exchange exchange) {
        ((TestExchange) exchange).endRequestChain();
    }

    @Override
    protected void respond(Exchange exchange, int status) {
        ((TestExchange) exchange).respondWith(status);
    }

    @Override
    protected void endResponseChain(Exchange exchange) {
        ((TestExchange) exchange).endResponseChain();
    }
}
