/**
 * Integration testing against a real Gatehouse: {@link io.gatehouse.testkit.EmbeddedGatehouse}
 * (the proxy in the test's JVM, configured from YAML text and filter factories),
 * {@link io.gatehouse.testkit.GatehouseExtension} (the same as a JUnit 5 extension, with an
 * origin behind it), {@link io.gatehouse.testkit.TestOrigin} (one scriptable origin for every
 * test), {@link io.gatehouse.testkit.RawConnection} (bytes no HTTP client would send) and
 * {@link io.gatehouse.testkit.GatehouseProcess} (a distribution started as a process).
 *
 * <p>Use it with test scope ({@code io.gatehouse:gatehouse-testkit}). For unit tests without
 * sockets, use {@code io.gatehouse.api.testkit} in {@code proxy-api}.
 *
 * @since 0.2
 */
package io.gatehouse.testkit;
