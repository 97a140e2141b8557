package io.gatehouse.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PluginConfigTest {

    private static PluginConfig config(Map<String, ?> values) {
        return PluginConfig.of("filters[3].config", values);
    }

    @Test
    void pathPrefixesTheKey() {
        assertThat(config(Map.of()).path("window")).isEqualTo("filters[3].config.window");
        assertThat(PluginConfig.of(Map.of()).path("x")).isEqualTo("config.x");
        assertThat(PluginConfig.of("", Map.of()).path("x")).isEqualTo("x");
    }

    @Test
    void keysInDocumentOrderAndHas() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("zeta", "1");
        values.put("alpha", "2");
        values.put("mid", "3");
        values.put("missing", null);
        PluginConfig config = config(values);
        assertThat(config.keys()).containsExactly("zeta", "alpha", "mid", "missing");
        assertThat(config.has("alpha")).isTrue();
        assertThat(config.has("missing")).isFalse();
        assertThat(config.has("nope")).isFalse();
    }

    @Test
    void configIsACopyOfTheGivenMap() {
        Map<String, Object> values = new HashMap<>();
        values.put("a", "1");
        PluginConfig config = config(values);
        values.put("a", "2");
        values.put("b", "3");
        assertThat(config.getString("a")).isEqualTo("1");
        assertThat(config.has("b")).isFalse();
    }

    @Test
    void getStringFindStringAndDefaults() {
        PluginConfig config = config(Map.of("name", "edge", "port", 8080));
        assertThat(config.getString("name")).isEqualTo("edge");
        assertThat(config.getString("port")).isEqualTo("8080");
        assertThat(config.findString("name")).contains("edge");
        assertThat(config.findString("other")).isEmpty();
        assertThat(config.getString("other", "fallback")).isEqualTo("fallback");
        assertThat(config.getString("name", "fallback")).isEqualTo("edge");
    }

    @Test
    void missingRequiredStringNamesTheKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config(Map.of()).getString("upstream"));
        assertThat(e.key()).isEqualTo("filters[3].config.upstream");
        assertThat(e).hasMessageStartingWith("filters[3].config.upstream: ").hasMessageContaining("missing");
    }

    @Test
    void stringWhereSectionOrListGivenIsRejected() {
        PluginConfig config = config(Map.of("s", Map.of("a", 1), "l", List.of("a")));
        assertThatThrownBy(() -> config.getString("s"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[3].config.s: ")
                .hasMessageContaining("section");
        assertThatThrownBy(() -> config.findString("l"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[3].config.l: ")
                .hasMessageContaining("list");
    }

    @Test
    void getIntReadsNumbersAndNumericStrings() {
        PluginConfig config = config(Map.of("a", 42, "b", " 17 ", "c", "-3"));
        assertThat(config.getInt("a", 0)).isEqualTo(42);
        assertThat(config.getInt("b", 0)).isEqualTo(17);
        assertThat(config.getInt("c", 0)).isEqualTo(-3);
        assertThat(config.getInt("absent", 99)).isEqualTo(99);
    }

    @Test
    void getIntErrorNamesTheFullKey() {
        PluginConfig config = config(Map.of("window", "10s"));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config.getInt("window", 1));
        assertThat(e).hasMessage("filters[3].config.window: expected an integer, got \"10s\"");
        assertThat(e.key()).isEqualTo("filters[3].config.window");
    }

    @Test
    void getIntRejectsFractionsAndOverflow() {
        PluginConfig config = config(Map.of("f", 1.5, "big", 3_000_000_000L));
        assertThatThrownBy(() -> config.getInt("f", 0))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[3].config.f: expected an integer");
        assertThatThrownBy(() -> config.getInt("big", 0))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[3].config.big: expected an integer");
    }

    @Test
    void getBoolean() {
        PluginConfig config = config(Map.of("t", true, "f", "false", "bad", "yes"));
        assertThat(config.getBoolean("t", false)).isTrue();
        assertThat(config.getBoolean("f", true)).isFalse();
        assertThat(config.getBoolean("absent", true)).isTrue();
        assertThat(config.getBoolean("absent", false)).isFalse();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config.getBoolean("bad", false));
        assertThat(e.key()).isEqualTo("filters[3].config.bad");
        assertThat(e).hasMessage("filters[3].config.bad: expected true or false, got \"yes\"");
    }

    @Test
    void getDuration() {
        PluginConfig config = config(Map.of("timeout", "250ms", "bad", "soon"));
        assertThat(config.getDuration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(config.getDuration("absent", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config.getDuration("bad", Duration.ZERO));
        assertThat(e.key()).isEqualTo("filters[3].config.bad");
        assertThat(e).hasMessageStartingWith("filters[3].config.bad: expected a duration")
                .hasMessageContaining("\"soon\"");
    }
    @Test
    void getDurationOverflowNamesTheKey() {
        PluginConfig config = config(Map.of("timeout", "999999999999999d"));
        assertThatThrownBy(() -> config.getDuration("timeout", Duration.ZERO))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[3].config.timeout: ");
    }

    @Test
    void getSize() {
        PluginConfig config = config(Map.of("max", "8KiB", "bare", 100, "bad", "lots"));
        assertThat(config.getSize("max", 0)).isEqualTo(8192L);
        assertThat(config.getSize("bare", 0)).isEqualTo(100L);
        assertThat(config.getSize("absent", 77)).isEqualTo(77L);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config.getSize("bad", 0));
        assertThat(e.key()).isEqualTo("filters[3].config.bad");
        assertThat(e).hasMessageStartingWith("filters[3].config.bad: expected a size")
                .hasMessageContaining("\"lots\"");
    }

    @Test
    void getSizeOverflowNamesTheKey() {
        PluginConfig config = config(Map.of("max", "99999999999GiB"));
        assertThatThrownBy(() -> config.getSize("max", 0))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("filters[3].config.max: ")
                .hasMessageContaining("too large");
    }

    @Test
    void getStringListPromotesScalarToListOfOne() {
        PluginConfig config = config(Map.of("one", "X-Debug", "many", List.of("a", 2, true)));
        assertThat(config.getStringList("one")).containsExactly("X-Debug");
        assertThat(config.getStringList("many")).containsExactly("a", "2", "true");
        assertThat(config.getStringList("absent")).isEmpty();
    }

    @Test
    void getStringListIsImmutable() {
        List<String> list = config(Map.of("l", List.of("a"))).getStringList("l");
        assertThatThrownBy(() -> list.add("b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void getStringListElementErrorNamesIndex() {
        PluginConfig config = config(Map.of("l", List.of("a", Map.of("x", 1))));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config.getStringList("l"));
        assertThat(e.key()).isEqualTo("filters[3].config.l[1]");
        assertThat(e).hasMessageStartingWith("filters[3].config.l[1]: ");
    }

    @Test
    void getStringMapKeepsDocumentOrderAndStringifies() {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("X-Z", "z");
        set.put("X-A", 1);
        set.put("X-M", false);
        PluginConfig config = config(Map.of("set", set));
        assertThat(config.getStringMap("set"))
                .containsExactly(Map.entry("X-Z", "z"), Map.entry("X-A", "1"), Map.entry("X-M", "false"));
        assertThat(config.getStringMap("absent")).isEmpty();
    }

    @Test
    void getStringMapErrors() {
        PluginConfig config = config(Map.of("scalar", "x", "nested", Map.of("X-A", List.of("1", "2"))));
        ConfigException notMap = catchThrowableOfType(ConfigException.class, () -> config.getStringMap("scalar"));
        assertThat(notMap.key()).isEqualTo("filters[3].config.scalar");
        assertThat(notMap).hasMessageContaining("expected a map");
        ConfigException nested = catchThrowableOfType(ConfigException.class, () -> config.getStringMap("nested"));
        assertThat(nested.key()).isEqualTo("filters[3].config.nested.X-A");
    }

    @Test
    void sectionsCarryTheirPath() {
        PluginConfig root = PluginConfig.of("filters[0].config", Map.of(
                "limits", Map.of("rate", "x"),
                "routes", List.of(Map.of("name", "a"), Map.of("prefix", "/b"))));
        PluginConfig limits = root.getSection("limits");
        assertThat(limits.path("rate")).isEqualTo("filters[0].config.limits.rate");
        assertThat(limits.getString("rate")).isEqualTo("x");

        List<PluginConfig> routes = root.getSectionList("routes");
        assertThat(routes).hasSize(2);
        assertThat(routes.get(0).getString("name")).isEqualTo("a");
        assertThat(routes.get(1).path("name")).isEqualTo("filters[0].config.routes[1].name");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> routes.get(1).getString("name"));
        assertThat(e.key()).isEqualTo("filters[0].config.routes[1].name");
        assertThat(e).hasMessageStartingWith("filters[0].config.routes[1].name: ");
    }

    @Test
    void missingSectionIsEmptyAndKeepsPath() {
        PluginConfig root = PluginConfig.of("filters[0].config", Map.of());
        PluginConfig section = root.getSection("absent");
        assertThat(section.keys()).isEmpty();
        assertThat(section.path("k")).isEqualTo("filters[0].config.absent.k");
        assertThat(root.getSectionList("absent")).isEmpty();
    }

    @Test
    void singleSectionPromotedToSectionList() {
        PluginConfig root = PluginConfig.of("filters[0].config", Map.of("routes", Map.of("name", "only")));
        List<PluginConfig> routes = root.getSectionList("routes");
        assertThat(routes).hasSize(1);
        assertThat(routes.get(0).getString("name")).isEqualTo("only");
        assertThat(routes.get(0).path("name")).isEqualTo("filters[0].config.routes[0].name");
    }

    @Test
    void sectionErrorsNameTheKey() {
        PluginConfig root = PluginConfig.of("filters[0].config",
                Map.of("limits", "fast", "routes", List.of(Map.of("name", "a"), "b")));
        ConfigException section = catchThrowableOfType(ConfigException.class, () -> root.getSection("limits"));
        assertThat(section.key()).isEqualTo("filters[0].config.limits");
        assertThat(section).hasMessageContaining("expected a section").hasMessageContaining("\"fast\"");
        ConfigException list = catchThrowableOfType(ConfigException.class, () -> root.getSectionList("routes"));
        assertThat(list.key()).isEqualTo("filters[0].config.routes[1]");
    }

    @Test
    void sectionWithNonStringKeysIsReadable() {
        Map<Object, Object> inner = new LinkedHashMap<>();
        inner.put(404, "not found");
        PluginConfig root = PluginConfig.of("c", Map.of("pages", inner));
        assertThat(root.getSection("pages").getString("404")).isEqualTo("not found");
    }

    @Test
    void configExceptionKeyAndMessage() {
        ConfigException e = new ConfigException("server.timeouts.connect", "expected a duration");
        assertThat(e.key()).isEqualTo("server.timeouts.connect");
        assertThat(e).hasMessage("server.timeouts.connect: expected a duration");
        assertThat(e).isInstanceOf(RuntimeException.class);
    }
}
