package io.gatehouse.api;

import io.gatehouse.api.testkit.TestExchange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class KeysTest {

    private static final List<Key<?>> ALL = List.of(Keys.CONSUMER, Keys.REQUEST_ID, Keys.CACHE_STATUS, Keys.CANARY_SIDE);

    @Test
    void theWellKnownKeysAreDistinct() {
        assertThat(Set.copyOf(ALL)).hasSize(ALL.size());
    }

    @Test
    void aKeyWithTheSameNameIsAnotherKey() {
        TestExchange exchange = TestExchange.get("/");
        exchange.setAttribute(Keys.CONSUMER, "alice");

        assertThat(exchange.attribute(Keys.CONSUMER)).contains("alice");
        assertThat(exchange.attribute(Key.of(Keys.CONSUMER.name(), String.class))).isEmpty();
    }

    @Test
    void everyPluginClassLoaderSeesTheSameKeysWhenTheApiComesFromTheParent() {
        Supplier<Object> plugin = loadInOwnClassLoader(PluginSide.class, false);
        Supplier<Object> otherPlugin = loadInOwnClassLoader(PluginSide.class, false);

        assertThat(plugin.getClass()).isNotSameAs(PluginSide.class).isNotSameAs(otherPlugin.getClass());
        assertThat(plugin.get()).isSameAs(Keys.CONSUMER).isSameAs(otherPlugin.get());
    }

    @Test
    void aPluginThatBundlesItsOwnApiGetsKeysNoOneElseSees() {
        Supplier<Object> bundling = loadInOwnClassLoader(PluginSide.class, true);

        assertThat(bundling.get()).isNotSameAs(Keys.CONSUMER);
        assertThat(bundling.get().toString()).isEqualTo(Keys.CONSUMER.toString());
    }

    /** Stands for plugin code: reads the shared key. Loaded anew by each "plugin" class loader. */
    public static final class PluginSide implements Supplier<Object> {

        @Override
        public Object get() {
            return Keys.CONSUMER;
        }
    }

    /**
     * Loads {@code type} in a class loader of its own, as PF4J loads a plugin, and instantiates it.
     * With {@code bundlesApi}, the loader also defines {@link Keys} and {@link Key} itself instead
     * of delegating them to the parent (a plugin that packs the API into its archive).
     */
    @SuppressWarnings("unchecked")
    private static Supplier<Object> loadInOwnClassLoader(Class<?> type, boolean bundlesApi) {
        Set<String> own = bundlesApi ? Set.of(type.getName(), Keys.class.getName(), Key.class.getName()) : Set.of(type.getName());
        ClassLoader parent = KeysTest.class.getClassLoader();
        ClassLoader loader = new ClassLoader("plugin", parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!own.contains(name)) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    if (loaded == null) {
                        byte[] bytes = bytes(parent, name);
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    }
                    return loaded;
                }
            }
        };
        try {
            return (Supplier<Object>) loader.loadClass(type.getName()).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(ClassLoader from, String className) {
        try (InputStream in = from.getResourceAsStream(className.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IllegalStateException("no class file for " + className);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
