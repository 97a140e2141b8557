package io.gatehouse.server.outbound;

import io.gatehouse.api.outbound.OutboundConnectException;
import io.gatehouse.api.outbound.OutboundException;
import io.gatehouse.api.outbound.OutboundRequest;
import io.gatehouse.api.outbound.OutboundTimeoutException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns what httpclient5 failed with into the API's failure types. */
final class OutboundFailures {

    private OutboundFailures() {
    }

    /**
     * @param request the request that failed
     * @param failure what httpclient5 reported
     * @return the API's exception: the failure itself when it already is one
     */
    static OutboundException of(OutboundRequest request, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof OutboundException known) {
            return known;
        }
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SocketTimeoutException || c instanceof TimeoutException
                    || c instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
                return new OutboundTimeoutException(request + ": timed out (" + c.getMessage() + ")", cause);
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof UnknownHostException
                    || c instanceof UnresolvedAddressException) {
                return new OutboundConnectException(request + ": cannot connect (" + c + ")", cause);
            }
        }
        return new OutboundException(request + ": failed (" + cause + ")", cause);
    }
}
