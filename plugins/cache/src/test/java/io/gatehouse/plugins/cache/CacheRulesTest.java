package io.gatehouse.plugins.cache;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9111's rules for freshness, age, storability and Vary, case by case. */
class CacheRulesTest {

    private static final long T = 1_700_000_000L; // a response time, epoch seconds

    private static Directives cc(String... values) {
        return Directives.parse(List.of(values));
    }

    private static long lifetime(int status, HttpFields headers, Directives directives) {
        return Freshness.lifetime(status, headers, directives, T, 10, Duration.ofDays(1));
    }

    @Test
    void directivesAreCaseInsensitiveQuotedAndSpreadOverLines() {
        Directives d = cc("Max-Age=60, no-cache=\"Set-Cookie, X-A\"", "S-MAXAGE=\"30\", foo, bar=baz");
        assertThat(d.seconds("max-age")).hasValue(60);
        assertThat(d.seconds("s-maxage")).hasValue(30);
        assertThat(d.fieldNames("no-cache")).containsExactly("Set-Cookie", "X-A");
        assertThat(d.has("foo")).isTrue();
        assertThat(cc("max-age=abc").seconds("max-age")).isEmpty();
        assertThat(cc("max-age=99999999999999999999").seconds("max-age")).hasValue(Integer.MAX_VALUE);
        assertThat(cc("max-age=60, max-age=10").seconds("max-age")).hasValue(60);
    }

    @Test
    void freshnessLifetimeFollowsTheOrderOfSection421() {
        HttpFields expires = HttpFields.of("Date", Freshness.format(T), "Expires", Freshness.format(T + 100));
        assertThat(lifetime(200, expires, cc("s-maxage=5, max-age=50"))).isEqualTo(5);
        assertThat(lifetime(200, expires, cc("max-age=50"))).isEqualTo(50);
        assertThat(lifetime(200, expires, Directives.NONE)).isEqualTo(100);
        assertThat(lifetime(200, HttpFields.of("Expires", "0"), Directives.NONE)).as("invalid Expires: already expired").isZero();
        HttpFields lastModified = HttpFields.of("Date", Freshness.format(T), "Last-Modified", Freshness.format(T - 1000));
        assertThat(lifetime(200, lastModified, Directives.NONE)).as("10 % heuristic").isEqualTo(100);
        assertThat(lifetime(500, lastModified, Directives.NONE)).as("no heuristic for 500").isZero();
        assertThat(lifetime(500, lastModified, cc("public"))).isEqualTo(100);
        assertThat(lifetime(200, HttpFields.of(), Directives.NONE)).isZero();
    }

    @Test
    void ageFollowsSection423() {
        HttpFields headers = HttpFields.of("Date", Freshness.format(T - 10), "Age", "5");
        // apparent age 10 (clock skew), corrected age value 5 + 2 (response delay): the larger wins
        assertThat(Freshness.initialAge(headers, T - 2, T)).isEqualTo(10);
        assertThat(Freshness.initialAge(HttpFields.of("Age", "30"), T - 2, T)).isEqualTo(32);
        Entry entry = new Entry(200, headers, new byte[0], T - 2, T, 10, 60, Directives.NONE, List.of());
        assertThat(entry.age(T + 20)).isEqualTo(30);
        assertThat(entry.ttl(T + 20)).isEqualTo(30);
        assertThat(entry.ttl(T + 70)).isNegative();
    }

    @Test
    void httpDatesInAllThreeForms() {
        assertThat(Freshness.date("Sun, 06 Nov 1994 08:49:37 GMT", T)).contains(784111777L);
        assertThat(Freshness.date("Sunday, 06-Nov-94 08:49:37 GMT", T)).contains(784111777L);
        assertThat(Freshness.date("Sun Nov  6 08:49:37 1994", T)).contains(784111777L);
        assertThat(Freshness.date("yesterday", T)).isEmpty();
        assertThat(Freshness.format(784111777L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            GET  | 200 | max-age=60               |                         | stored
            POST | 200 | max-age=60               |                         | method
            GET  | 206 | max-age=60               |                         | partial
            GET  | 200 | no-store                 |                         | no-store
            GET  | 200 | private, max-age=60      |                         | private
            GET  | 200 | max-age=60               | Authorization           | authorization
            GET  | 200 | max-age=60, public       | Authorization           | stored
            GET  | 200 | s-maxage=60              | Authorization           | stored
            GET  | 500 |                          |                         | status
            GET  | 500 | max-age=60               |                         | stored
            GET  | 404 |                          |                         | stored
            GET  | 200 | max-age=60               | Vary*                   | vary-star
            GET  | 200 | max-age=60               | Set-Cookie              | set-cookie
            GET  | 200 | max-age=60               | request-no-store        | no-store
            GET  | 200 | max-age=60               | Cookie                  | cookie
            GET  | 200 | public, max-age=60       | Cookie                  | stored
            GET  | 200 | s-maxage=60              | Cookie                  | stored
            GET  | 200 | max-age=60               | targeted                | stored
            GET  | 200 | no-store, must-understand, max-age=60 |    | stored
            GET  | 204 | must-understand, no-store, max-age=60 |    | stored
            GET  | 299 | must-understand, max-age=60 |                       | must-understand
            GET  | 500 | must-understand, no-store, max-age=60 |    | must-understand
            GET  | 200 | must-understand, private, max-age=60 |     | private
            """)
    void storability(String method, int status, String cacheControl, String extra, String expected) {
        HttpFields request = HttpFields.of();
        HttpFields response = HttpFields.of();
        Directives requestDirectives = Directives.NONE;
        if ("Authorization".equals(extra)) {
            request = HttpFields.of("Authorization", "Bearer x");
        } else if ("Vary*".equals(extra)) {
            response = HttpFields.of("Vary", "*");
        } else if ("Set-Cookie".equals(extra)) {
            response = HttpFields.of("Set-Cookie", "a=b");
        } else if ("request-no-store".equals(extra)) {
            requestDirectives = cc("no-store");
        } else if ("Cookie".equals(extra) || "targeted".equals(extra)) {
            request = HttpFields.of("Cookie", "session=alice");
        }
        Optional<String> refusal = Storability.refusal(method, request, requestDirectives, status, response,
                cacheControl == null ? Directives.NONE : cc(cacheControl), "targeted".equals(extra));
        assertThat(refusal.orElse("stored")).isEqualTo(expected);
    }

    @Test
    void varyMatchesOnTheNamedRequestFieldsOnly() {
        HttpFields gzip = HttpFields.of("Accept-Encoding", "gzip,  br", "User-Agent", "a");
        Entry entry = new Entry(200, HttpFields.of("Vary", "Accept-Encoding"), new byte[0], T, T, 0, 60, Directives.NONE,
                List.of(new Entry.VaryField("accept-encoding", Entry.varyValue(gzip, "accept-encoding"))));
        Variants variants = Variants.NONE.with("", entry, 16);
        assertThat(variants.find("", HttpFields.of("Accept-Encoding", "gzip, br", "User-Agent", "b"))).contains(entry);
        assertThat(variants.find("", HttpFields.of("Accept-Encoding", " gzip ,br "))).contains(entry);
        assertThat(variants.find("", HttpFields.of("Accept-Encoding", "gzip"))).isEmpty();
        assertThat(variants.find("", HttpFields.of())).isEmpty();
        assertThat(variants.find("https", HttpFields.of("Accept-Encoding", "gzip, br"))).as("another context").isEmpty();
        Entry absent = new Entry(200, HttpFields.of(), new byte[0], T, T, 0, 60, Directives.NONE,
                List.of(new Entry.VaryField("accept-encoding", Optional.empty())));
        assertThat(Variants.NONE.with("", absent, 16).find("", HttpFields.of())).contains(absent);
    }

    @Test
    void longVaryValuesAreKeptAsDigestsAndEverythingAnEntryHoldsIsWeighed() {
        String big = "x".repeat(16 * 1024);
        Optional<String> value = Entry.varyValue(HttpFields.of("X-Big", big), "x-big");
        assertThat(value).hasValueSatisfying(v -> assertThat(v).startsWith("#").hasSizeLessThan(64));
        assertThat(Entry.varyValue(HttpFields.of("X-Big", big + "y"), "x-big")).isNotEqualTo(value);
        assertThat(Entry.varyValue(HttpFields.of("X-Small", "a, b"), "x-small")).hasValue("=a,b");
        Entry bigHead = new Entry(200, HttpFields.of("X-Big", big), new byte[10], T, T, 0, 60, cc("max-age=60"), List.of());
        assertThat(bigHead.weight()).isGreaterThan(16 * 1024 + 10);
        Variants one = Variants.NONE.with("c".repeat(4096), bigHead, 16);
        assertThat(one.weight()).as("the variant's key too").isGreaterThan(bigHead.weight() + 4096);
    }

    @Test
    void theStoreStaysWithinItsByteBudget() {
        CacheStore store = new CacheStore(1024 * 1024, 64 * 1024, 16);
        byte[] body = new byte[8 * 1024];
        for (int i = 0; i < 256; i++) { // 2 MiB of bodies into a 1 MiB budget
            store.put("key-" + i, "", new Entry(200, HttpFields.of(), body, T, T, 0, 60, Directives.NONE, List.of()));
        }
        assertThat(store.weight()).isLessThanOrEqualTo(1024 * 1024).isGreaterThan(512 * 1024);
        store.put("big", "", new Entry(200, HttpFields.of(), new byte[128 * 1024], T, T, 0, 60, Directives.NONE, List.of()));
        assertThat(store.hasKey("big")).as("over max-object-size").isFalse();
    }

    @Test
    void twiceTheBudgetOfDistinctObjectsKeepsTheHeapWithinIt() {
        // 64 MiB of bodies into a 32 MiB budget, in a JVM of 96 MiB (see the pom): without
        // eviction this runs out of memory; with it, the store weighs at most its budget.
        long budget = 32L * 1024 * 1024;
        CacheStore store = new CacheStore(budget, 1024 * 1024, 16);
        for (int i = 0; i < 1024; i++) {
            store.put("object-" + i, "", new Entry(200, HttpFields.of("Content-Type", "application/octet-stream"), new byte[64 * 1024],
                    T, T, 0, 60, Directives.NONE, List.of()));
        }
        assertThat(store.weight()).isLessThanOrEqualTo(budget);
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        assertThat(runtime.totalMemory() - runtime.freeMemory()).as("heap in use").isLessThan(budget + 24L * 1024 * 1024);
    }

    @Test
    void theKeyCanSortOrIgnoreQueryParametersAndAddHeaders() {
        TestExchange a = TestExchange.get("/p?b=2&utm_source=x&a=1");
        TestExchange b = TestExchange.get("/p?a=1&b=2");
        assertThat(CacheKey.DEFAULT.primary(a.request())).isNotEqualTo(CacheKey.DEFAULT.primary(b.request()));
        CacheKey key = new CacheKey(true, java.util.Set.of("utm_source"), List.of("X-Tenant"));
        assertThat(key.primary(a.request())).isEqualTo(key.primary(b.request())).isEqualTo("localhost/p?a=1&b=2\nx-tenant:");
        b.header("X-Tenant", "acme");
        assertThat(key.primary(b.request())).endsWith("x-tenant:acme");
        assertThat(CacheKey.DEFAULT.primary(TestExchange.request("HEAD", "/p?a=1&b=2").request()))
                .as("GET and HEAD share a key").isEqualTo(CacheKey.DEFAULT.primary(b.request()));
    }

    @Test
    void anIgnoredParameterWithASemicolonIsKept() {
        CacheKey key = new CacheKey(false, java.util.Set.of("utm_source"), List.of());
        assertThat(key.primary(TestExchange.get("/p?semi=1&utm_source=x;callback=evil").request()))
                .isEqualTo("localhost/p?semi=1&utm_source=x;callback=evil");
        assertThat(key.primary(TestExchange.get("/p?semi=1&utm_source=x").request())).isEqualTo("localhost/p?semi=1");
        assertThat(key.primary(TestExchange.get("/p?utm_source;callback=evil&semi=1").request()))
                .isEqualTo("localhost/p?utm_source;callback=evil&semi=1");
    }

    @Test
    void theKeyIsTheClientsTargetNotTheRewrittenOne() {
        TestExchange exchange = TestExchange.get("/uploads/./app.js?v=1");
        exchange.request().setTarget("/app.js?v=1");
        assertThat(CacheKey.clientTarget(exchange.request())).isEqualTo("/uploads/app.js?v=1");
        assertThat(CacheKey.DEFAULT.primary(exchange.request())).isEqualTo("localhost/uploads/app.js?v=1");
        assertThat(KeyContext.routing(exchange, "/uploads/app.js?v=1")).hasValue("||||/app.js?v=1");
        exchange.setRoute("uploads");
        exchange.setAttribute(io.gatehouse.api.Keys.CANARY_SIDE, "canary");
        assertThat(KeyContext.routing(exchange, "/uploads/app.js?v=1")).hasValue("uploads||canary||/app.js?v=1");
        TestExchange unnamed = TestExchange.get("/a");
        unnamed.setUpstream(io.gatehouse.api.Upstream.parse("http://127.0.0.1:9"));
        assertThat(KeyContext.routing(unnamed, "/a")).isEmpty();
    }

    @Test
    void theClientContextHoldsSchemeAndForwardedHostAndProtoButNotTheClientsAddress() {
        TestExchange exchange = TestExchange.get("/a").header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "www.example.com")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("Forwarded", "for=203.0.113.7;Host=WWW.example.com;proto=https, for=\"[2001:db8::1]\";proto=http");
        assertThat(KeyContext.client(exchange.request()))
                .isEqualTo("http|https|www.example.com|host=www.example.com;proto=https;,proto=http;,");
        TestExchange untrusted = TestExchange.get("/a").header("X-Forwarded-Proto", "http").header("X-Forwarded-Host", "localhost")
                .header("X-Forwarded-For", "203.0.113.7").header("Forwarded", "for=203.0.113.7;host=localhost;proto=http");
        assertThat(KeyContext.client(untrusted.request())).as("what the listener writes for any client: nothing new").isEqualTo("http");
        TestExchange otherHost = TestExchange.get("/a").header("X-Forwarded-Proto", "http").header("X-Forwarded-Host", "localhost")
                .header("Forwarded", "for=203.0.113.7;host=evil.example;proto=http");
        assertThat(KeyContext.client(otherHost.request())).isEqualTo("http|http|localhost|host=evil.example;proto=http;,");
    }

    @Test
    void purgeByPrefixDropsEveryKeyUnderIt() {
        CacheStore store = new CacheStore(1024 * 1024, 64 * 1024, 16);
        for (String path : List.of("/img/a", "/img/b", "/css/c")) {
            store.put(CacheKey.prefix("h", path), "", new Entry(200, HttpFields.of(), new byte[1], T, T, 0, 60, Directives.NONE, List.of()));
        }
        assertThat(store.invalidatePrefix(CacheKey.prefix("h", "/img/"))).isEqualTo(2);
        assertThat(store.keys()).isEqualTo(1);
    }
}
