package io.gatehouse.api;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterResultTest {

    @Test
    void proceedIsCompletedAndShared() {
        CompletableFuture<FilterResult> stage = FilterResult.proceed().toCompletableFuture();
        assertThat(stage).isCompleted();
        FilterResult result = stage.join();
        assertThat(result.proceeds()).isTrue();
        assertThat(result.response()).isEmpty();
        assertThat(result).isSameAs(FilterResult.proceedResult());
        assertThat((Object) FilterResult.proceed()).isSameAs(FilterResult.proceed());
        assertThat(result).hasToString("proceed");
    }

    @Test
    void proceedStageCannotBeCompletedByACaller() {
        // the shared stage must not be corruptible through toCompletableFuture()
        CompletableFuture<FilterResult> copy = FilterResult.proceed().toCompletableFuture();
        copy.obtrudeValue(null);
        assertThat(FilterResult.proceed().toCompletableFuture().join()).isSameAs(FilterResult.proceedResult());
    }

    @Test
    void respondCarriesTheResponse() {
        Response response = Response.text(403, "forbidden");
        CompletableFuture<FilterResult> stage = FilterResult.respond(response).toCompletableFuture();
        assertThat(stage).isCompleted();
        FilterResult result = stage.join();
        assertThat(result.proceeds()).isFalse();
        assertThat(result.response()).containsSame(response);
        assertThat(result).hasToString("respond(403)");
    }

    @Test
    void respondResultDirect() {
        Response response = Response.status(302).header("Location", "/x").build();
        FilterResult result = FilterResult.respondResult(response);
        assertThat(result.proceeds()).isFalse();
        assertThat(result.response().orElseThrow().status()).isEqualTo(302);
    }

    @Test
    void respondRequiresAResponse() {
        assertThatThrownBy(() -> FilterResult.respondResult(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> FilterResult.respond(null)).isInstanceOf(NullPointerException.class);
    }
}
