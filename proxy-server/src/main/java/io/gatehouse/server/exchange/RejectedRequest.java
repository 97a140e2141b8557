package io.gatehouse.server.exchange;

import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * Stands in for a request head that was refused while parsing with a status HttpCore cannot
 * send itself (414, 408, 501 for unsupported targets). The handler answers it with {@link
 * #status()} and closes the connection; it is never forwarded.
 */
public final class RejectedRequest extends BasicHttpRequest {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;

    public RejectedRequest(int status, String reason) {
        super("GET", null, new URIAuthority("rejected.invalid"), "/");
        setVersion(HttpVersion.HTTP_1_0);
        this.status = status;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
