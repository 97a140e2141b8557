package io.gatehouse.plugins.cors;

/**
 * The request heads of real browsers' CORS preflights, written down from the Fetch standard
 * (§4.8 "CORS-preflight fetch": method {@code OPTIONS}, {@code Accept: *}{@code /*}, {@code
 * Access-Control-Request-Method} with the method as the page wrote it, normalized only for
 * {@code DELETE GET HEAD OPTIONS POST PUT}, {@code Access-Control-Request-Headers} with the
 * CORS-unsafe header names byte-lowercased, sorted and joined by {@code ,} without spaces, no
 * cookies and no {@code Authorization}) and from what Chromium 12x and Firefox 13x add to it
 * ({@code Sec-Fetch-*} metadata, {@code Referer}, their {@code User-Agent}, {@code
 * Accept-Language}; Firefox's {@code Connection: keep-alive} and {@code Priority}).
 * A page on {@code https://app.example.com} calling {@code fetch(url, {method: "PUT",
 * credentials: "include", headers: {"Content-Type": "application/json", "Authorization": "...",
 * "X-Request-Id": "..."}})}.
 */
final class BrowserPreflights {

    private BrowserPreflights() {
    }

    /** Chromium (Chrome 126, Linux). */
    static String chromium(String path, String host, String origin, String method, String headers) {
        return "OPTIONS " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Connection: keep-alive\r\n"
                + "Accept: */*\r\n"
                + "Access-Control-Request-Method: " + method + "\r\n"
                + "Access-Control-Request-Headers: " + headers + "\r\n"
                + "Origin: " + origin + "\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36\r\n"
                + "Sec-Fetch-Mode: cors\r\n"
                + "Sec-Fetch-Site: same-site\r\n"
                + "Sec-Fetch-Dest: empty\r\n"
                + "Referer: " + origin + "/\r\n"
                + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                + "Accept-Language: en-GB,en-US;q=0.9,en;q=0.8\r\n"
                + "\r\n";
    }

    /** Firefox (Firefox 128, Linux). */
    static String firefox(String path, String host, String origin, String method, String headers) {
        return "OPTIONS " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
                + "Accept: */*\r\n"
                + "Accept-Language: en-US,en;q=0.5\r\n"
                + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                + "Access-Control-Request-Method: " + method + "\r\n"
                + "Access-Control-Request-Headers: " + headers + "\r\n"
                + "Referer: " + origin + "/\r\n"
                + "Origin: " + origin + "\r\n"
                + "Connection: keep-alive\r\n"
                + "Sec-Fetch-Dest: empty\r\n"
                + "Sec-Fetch-Mode: cors\r\n"
                + "Sec-Fetch-Site: same-site\r\n"
                + "Priority: u=4\r\n"
                + "\r\n";
    }
}
