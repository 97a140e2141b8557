package io.gatehouse.server.exchange;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.ExchangeContract;
import io.gatehouse.server.config.Forwarding;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.net.URIAuthority;

import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.util.List;

/**
 * The server's exchange keeps the contract the test kit's {@code TestExchange} keeps. The
 * request message is built as the listener builds it (origin-form target, authority from the
 * {@code Host} field), admitted as the engine admits it, and the chain phases end as the engine
 * ends them.
 */
class ProxyExchangeContractTest extends ExchangeContract {

    @Override
    protected Exchange arrived(String method, String target, String host, String... namesAndValues) {
        BasicHttpRequest message = new BasicHttpRequest(method, null, null, target);
        message.addHeader("Host", host);
        try {
            message.setAuthority(URIAuthority.create(host)); // as HttpCore's host validation does for origin-form requests
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(host, e);
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            message.addHeader(namesAndValues[i], namesAndValues[i + 1]);
        }
        ProxyExchange exchange = new ProxyExchange(message, "http", new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 8080), System.nanoTime(), 0);
        // then the checks before any filter, as the engine makes them (they normalise the target)
        RequestAdmission.check(message, null, Long.MAX_VALUE, new Forwarding(List.of(), true, "gatehouse")).refusal().ifPresent(refusal -> {
            throw new IllegalArgumentException(refusal.detail());
        });
        return exchange;
    }

    @Override
    protected void endRequestChain(Exchange exchange) {
        ((ProxyExchange) exchange).sealRequestObservers();
    }

    @Override
    protected void respond(Exchange exchange, int status) {
        ProxyExchange proxyExchange = (ProxyExchange) exchange;
        proxyExchange.sealRequestObservers();
        proxyExchange.setResponse(new BasicHttpResponse(status), -1, java.util.Optional.empty());
    }

    @Override
    protected void endResponseChain(Exchange exchange) {
        ((ProxyExchange) exchange).sealResponseObservers();
    }
}
