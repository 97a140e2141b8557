package io.gatehouse.plugins.cache;

import io.gatehouse.testkit.EmbeddedGatehouse;
import io.gatehouse.testkit.ReceivedRequest;
import io.gatehouse.testkit.Reply;
import io.gatehouse.testkit.TestOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a key must tell apart, seen from outside: cloaked query parameters, the scheme and host a
 * TLS terminator forwards, requests with cookies, and GET requests with a body.
 */
class CacheKeyIntegrationTest {

    private TestOrigin origin;
    private EmbeddedGatehouse gatehouse;

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private void start(String cacheConfig, Function<ReceivedRequest, Reply> script) {
        origin = TestOrigin.start(script);
        gatehouse = EmbeddedGatehouse.builder().config("""
                server: { forwarding: { trusted-proxies: [ 127.0.0.1 ] } }
                filters: [ { type: cache, config: %s } ]
                """.formatted(cacheConfig)).filters(new CacheFilterFactory()).upstream(origin).start();
    }

    private HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gatehouse.uri(path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gatehouse.send(request.build());
    }

    private static String status(HttpResponse<?> response) {
        return response.headers().firstValue(CacheFilter.STATUS).orElseThrow();
    }

    @Test
    void anIgnoredParameterCannotCloakAnotherBehindASemicolon() {
        start("{ max-size: 16MiB, key: { ignore-query: [ utm_source ] } }",
                request -> Reply.ok("callback for " + request.query().orElse("")).header("Cache-Control", "max-age=60"));
        assertThat(get("/jsonp?semi=1&utm_source=x;callback=evil").body()).isEqualTo("callback for semi=1&utm_source=x;callback=evil");

        HttpResponse<String> clean = get("/jsonp?semi=1");

        assertThat(clean.body()).isEqualTo("callback for semi=1");
        assertThat(get("/jsonp?semi=1&utm_source=y").body()).as("a plain ignored parameter still is").isEqualTo("callback for semi=1");
        assertThat(origin.requestCount()).isEqualTo(2);
    }

    @Test
    void aRedirectToHttpsMadeForHttpIsNotServedToHttps() {
        start("{ max-size: 16MiB }", request -> request.header("X-Forwarded-Proto").filter("https"::equals).isPresent()
                ? Reply.ok("secure page").header("Cache-Control", "max-age=60")
                : Reply.status(301).header("Location", "https://www.example.com/login").header("Cache-Control", "max-age=3600"));
        assertThat(get("/login", "X-Forwarded-Proto", "http").statusCode()).isEqualTo(301);

        HttpResponse<String> secure = get("/login", "X-Forwarded-Proto", "https");

        assertThat(secure.statusCode()).as("no redirect loop behind the TLS terminator").isEqualTo(200);
        assertThat(secure.body()).isEqualTo("secure page");
        assertThat(status(get("/login", "X-Forwarded-Proto", "https"))).startsWith("Gatehouse; hit");
        assertThat(get("/login", "X-Forwarded-Proto", "http").statusCode()).isEqualTo(301);
        assertThat(origin.requestCount()).isEqualTo(2);
    }

    @Test
    void theForwardedHostIsPartOfTheKey() {
        start("{ max-size: 16MiB }", request -> Reply.ok("links to " + request.header("X-Forwarded-Host").orElse("?")
                + " " + request.header("Forwarded").orElse("?")).header("Cache-Control", "max-age=60"));
        assertThat(get("/links", "X-Forwarded-Host", "a.example").body()).startsWith("links to a.example");

        assertThat(get("/links", "X-Forwarded-Host", "b.example").body()).startsWith("links to b.example");
        assertThat(get("/links", "Forwarded", "host=c.example;proto=https").body()).contains("host=c.example;proto=https");
        assertThat(status(get("/links", "X-Forwarded-Host", "a.example"))).startsWith("Gatehouse; hit");
        assertThat(origin.requestCount()).isEqualTo(3);
    }

    @Test
    void aResponseToARequestWithACookieIsNotStoredHeuristically() {
        String lastModified = Freshness.format(System.currentTimeMillis() / 1000 - 86_400);
        start("{ max-size: 16MiB }", request -> Reply.ok("page for " + request.header("Cookie").orElse("anyone"))
                .header("Last-Modified", lastModified));
        HttpResponse<String> alice = get("/home", "Cookie", "session=alice");
        assertThat(alice.body()).isEqualTo("page for session=alice");

        HttpResponse<String> anonymous = get("/home");

        assertThat(anonymous.body()).isEqualTo("page for anyone");
        assertThat(status(alice)).isEqualTo("Gatehouse; fwd=uri-miss; detail=cookie");
        assertThat(status(anonymous)).as("without a cookie, as before").startsWith("Gatehouse; fwd=uri-miss; ttl=");
    }

    @Test
    void aRequestWithACookieIsStoredOnlyWhenTheResponseAddressesSharedCaches() {
        start("{ max-size: 16MiB }", request -> switch (request.path()) {
            case "/max-age" -> Reply.ok("a").header("Cache-Control", "max-age=60");
            case "/s-maxage" -> Reply.ok("b").header("Cache-Control", "s-maxage=60");
            case "/public" -> Reply.ok("c").header("Cache-Control", "public, max-age=60");
            default -> Reply.ok("d").header("Cache-Control", "private").header("CDN-Cache-Control", "max-age=60");
        });
        assertThat(status(get("/max-age", "Cookie", "s=1"))).isEqualTo("Gatehouse; fwd=uri-miss; detail=cookie");
        assertThat(status(get("/s-maxage", "Cookie", "s=1"))).isEqualTo("Gatehouse; fwd=uri-miss; ttl=60");
        assertThat(status(get("/public", "Cookie", "s=1"))).isEqualTo("Gatehouse; fwd=uri-miss; ttl=60");
        assertThat(status(get("/targeted", "Cookie", "s=1"))).isEqualTo("Gatehouse; fwd=uri-miss; ttl=60");
        assertThat(status(get("/max-age"))).as("without a cookie, as before").isEqualTo("Gatehouse; fwd=uri-miss; ttl=60");
    }

    @Test
    void aGetWithABodyIsNeitherStoredNorAnsweredFromTheCache() {
        start("{ max-size: 16MiB }", request -> Reply.ok("answer to [" + request.bodyText() + "]").header("Cache-Control", "max-age=60"));
        try (var raw = gatehouse.raw()) {
            String response = raw.send("GET /search HTTP/1.1\r\nHost: 127.0.0.1:" + gatehouse.port() + "\r\nContent-Length: 9\r\n\r\nq=poison!").readResponse();
            assertThat(response).endsWith("answer to [q=poison!]").contains("fwd=bypass; detail=request-body");
        }
        assertThat(get("/search").body()).isEqualTo("answer to []");
        try (var raw = gatehouse.raw()) {
            String chunked = raw.send("GET /search HTTP/1.1\r\nHost: 127.0.0.1:" + gatehouse.port()
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nq=2\r\n0\r\n\r\n").readResponse();
            assertThat(chunked).as("not answered from the cache either").endsWith("answer to [q=2]");
        }
        assertThat(origin.requestCount()).isEqualTo(3);
    }
}
