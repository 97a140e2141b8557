package io.gatehouse.server.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTextTest {

    @Test
    void writesNestedValuesWithCommas() {
        String json = new JsonText().beginObject().member("a", 1).member("b", "x").name("c").beginArray()
                .value(1.5).value(Double.NaN).value(true).beginObject().endObject().endArray().endObject().toString();
        assertThat(json).isEqualTo("{\"a\":1,\"b\":\"x\",\"c\":[1.500,null,true,{}]}");
    }

    @Test
    void escapesQuotesControlsAndMarkup() {
        String json = new JsonText().value("a\"b\\c\n\u0001</script><b>&\u2028").toString();
        assertThat(json).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\"");
    }
}
