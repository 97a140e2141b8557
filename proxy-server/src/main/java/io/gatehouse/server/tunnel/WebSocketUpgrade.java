package io.gatehouse.server.tunnel;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;

import java.util.Iterator;

/**
 * Recognises the one upgrade the proxy tunnels: an HTTP/1.1 {@code GET} without body (or with {@code Content-Length: 0}, as the JDK's client sends), with
 * {@code Upgrade: websocket} and {@code upgrade} among the {@code Connection} options (RFC 6455
 * §4.1). Every other upgrade is dropped as a hop-by-hop field.
 */
public final class WebSocketUpgrade {

    private WebSocketUpgrade() {
    }

    /**
     * @param request a client→proxy request head, before hop-by-hop fields are removed
     * @param entity its body, null when none
     * @return whether it asks for a WebSocket tunnel
     */
    public static boolean requested(HttpRequest request, EntityDetails entity) {
        if ((entity != null && entity.getContentLength() != 0) || !"GET".equals(request.getMethod()) || !HttpVersion.HTTP_1_1.equals(request.getVersion())) {
            return false;
        }
        Header[] upgrade = request.getHeaders("Upgrade");
        if (upgrade.length != 1 || !"websocket".equalsIgnoreCase(upgrade[0].getValue().trim())) {
            return false;
        }
        for (Iterator<Header> it = request.headerIterator("Connection"); it.hasNext(); ) {
            for (String option : it.next().getValue().split(",")) {
                if ("upgrade".equalsIgnoreCase(option.trim())) {
                    return true;
                }
            }
        }
        return false;
    }
}
