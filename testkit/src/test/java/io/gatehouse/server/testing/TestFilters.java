package io.gatehouse.server.testing;

import io.gatehouse.api.Exchange;
import io.gatehouse.api.FilterContext;
import io.gatehouse.api.FilterResult;
import io.gatehouse.api.Outcome;
import io.gatehouse.api.PluginConfig;
import io.gatehouse.api.ProxyFilter;
import io.gatehouse.api.ProxyFilterFactory;
import io.gatehouse.api.Response;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Filter factories for tests, registered as built-ins; each records what it saw in a shared journal. */
public final class TestFilters {

    /** Every hook call, as "name:hook", in order. */
    public static final List<String> JOURNAL = new CopyOnWriteArrayList<>();

    private TestFilters() {
    }

    /** @return every test factory */
    public static List<ProxyFilterFactory<?>> all() {
        return List.of(new Mark(), new Fail(), new Hang(), new Answer(), new Async(), new Replace(), new Meddle(), new Observe());
    }

    /** {@code mark}: appends its name to {@code X-Trail} on request and response, journals every hook. */
    public static final class Mark implements ProxyFilterFactory<String> {
        @Override
        public String type() {
            return "mark";
        }

        @Override
        public String parseConfig(PluginConfig config) {
            return config.getString("label");
        }

        @Override
        public ProxyFilter create(String label, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    JOURNAL.add(label + ":request");
                    exchange.request().headers().add("X-Trail", label);
                    return FilterResult.proceed();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    JOURNAL.add(label + ":response");
                    exchange.response().orElseThrow().headers().add("X-Trail", label);
                    return FilterResult.proceed();
                }

                @Override
                public void onComplete(Exchange exchange, Outcome outcome) {
                    JOURNAL.add(label + ":complete:" + outcome.kind() + ":" + outcome.status());
                }
            };
        }
    }

    /** {@code fail}: throws from onRequest. */
    public static final class Fail implements ProxyFilterFactory<Boolean> {
        @Override
        public String type() {
            return "fail";
        }

        @Override
        public Boolean parseConfig(PluginConfig config) {
            return config.getBoolean("async", false);
        }

        @Override
        public ProxyFilter create(Boolean async, FilterContext context) {
            return exchange -> {
                if (async) {
                    return CompletableFuture.failedFuture(new IllegalStateException("boom (async)"));
                }
                throw new IllegalStateException("boom");
            };
        }
    }

    /** {@code hang}: onRequest never completes. */
    public static final class Hang extends Unconfigured {
        public Hang() {
            super("hang");
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            return exchange -> new CompletableFuture<>();
        }
    }

    /** {@code answer}: short-circuits with the configured status. */
    public static final class Answer implements ProxyFilterFactory<Integer> {
        @Override
        public String type() {
            return "answer";
        }

        @Override
        public Integer parseConfig(PluginConfig config) {
            return config.getInt("status", 200);
        }

        @Override
        public ProxyFilter create(Integer status, FilterContext context) {
            return exchange -> FilterResult.respond(Response.text(status, "answered by filter"));
        }
    }

    /** {@code async}: proceeds later, from the scheduler thread, after setting a header. */
    public static final class Async extends Unconfigured {
        public Async() {
            super("async");
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            return exchange -> {
                CompletableFuture<FilterResult> later = new CompletableFuture<>();
                context.scheduler().schedule(() -> {
                    exchange.request().headers().set("X-Async", "done");
                    later.complete(FilterResult.proceedResult());
                }, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
                return later;
            };
        }
    }

    /** {@code replace}: replaces every response in onResponse with 299 "replaced". */
    public static final class Replace extends Unconfigured {
        public Replace() {
            super("replace");
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    return FilterResult.proceed();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    return FilterResult.respond(Response.status(299).header("X-Replaced", "yes").body("replaced").build());
                }
            };
        }
    }

    /** {@code meddle}: sets framing and connection fields that must never reach the wire as given. */
    public static final class Meddle extends Unconfigured {
        public Meddle() {
            super("meddle");
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    exchange.request().headers().set("Content-Length", "5");
                    exchange.request().headers().set("Transfer-Encoding", "chunked");
                    exchange.request().headers().set("Connection", "close");
                    return FilterResult.proceed();
                }

                @Override
                public CompletionStage<FilterResult> onResponse(Exchange exchange) {
                    exchange.response().orElseThrow().headers().set("Content-Length", "1");
                    exchange.response().orElseThrow().headers().set("Transfer-Encoding", "gzip");
                    return FilterResult.proceed();
                }
            };
        }
    }

    /** {@code observe}: journals what response body observers see and the outcome's byte counts. */
    public static final class Observe extends Unconfigured {
        public Observe() {
            super("observe");
        }

        @Override
        public ProxyFilter create(Object config, FilterContext context) {
            return new ProxyFilter() {
                @Override
                public CompletionStage<FilterResult> onRequest(Exchange exchange) {
                    exchange.observeResponseBody(new io.gatehouse.api.BodyObserver() {
                        private long seen;

                        @Override
                        public void onData(java.nio.ByteBuffer data) {
                            seen += data.remaining();
                        }

                        @Override
                        public void onEnd(io.gatehouse.api.HttpFields trailers) {
                            JOURNAL.add("observe:end:" + seen);
                        }

                        @Override
                        public void onAbort(Throwable cause) {
                            JOURNAL.add("observe:abort:" + seen);
                        }
                    });
                    return FilterResult.proceed();
                }

                @Override
                public void onComplete(Exchange exchange, Outcome outcome) {
                    JOURNAL.add("observe:complete:" + outcome.kind() + ":" + outcome.responseBodyBytes());
                }
            };
        }
    }

    /** Base of the test factories that take no configuration. */
    public abstract static class Unconfigured implements ProxyFilterFactory<Object> {
        private final String type;

        protected Unconfigured(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Object parseConfig(PluginConfig config) {
            return "";
        }
    }
}
