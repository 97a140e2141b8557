package io.gatehouse.server.exchange;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} field for responses the proxy makes or that arrive without one, formatted once a second. */
final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private volatile Header cached = new BasicHeader("Date", "");
    private volatile long cachedSecond = -1;

    Header format() {
        long second = System.currentTimeMillis() / 1000;
        if (second != cachedSecond) {
            cached = new BasicHeader("Date", IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
            cachedSecond = second;
        }
        return cached;
    }
}
