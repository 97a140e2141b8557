package io.gatehouse.server.tracing;

import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TraceStateTest {

    @Test
    void linesAreJoinedAndSpacesAndEmptyMembersDropped() {
        assertThat(TraceState.bound(new String[] {"rojo=00f067aa0ba902b7, congo=t61rcWkgMzE", " ,vendor@tenant=x y"}))
                .isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,vendor@tenant=x y");
    }

    @Test
    void noneIsEmpty() {
        assertThat(TraceState.bound(new String[0])).isEmpty();
    }

    @Test
    void thirtyTwoMembersAreKeptAndThirtyThreeDropped() {
        String members32 = IntStream.range(0, 32).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
        assertThat(TraceState.bound(new String[] {members32})).isEqualTo(members32);
        assertThat(TraceState.bound(new String[] {members32, "k32=v"})).isEmpty();
    }

    @Test
    void aValueLongerThan512CharactersIsDroppedWhole() {
        String fits = "a=" + "x".repeat(250) + ",b=" + "y".repeat(256); // 2 + 250 + 3 + 256 = 511 characters
        assertThat(TraceState.bound(new String[] {fits})).isEqualTo(fits);
        assertThat(TraceState.bound(new String[] {fits + "yy"})).isEmpty();
    }

    @Test
    void malformedMembersDropTheWholeValue() {
        assertThat(TraceState.bound(new String[] {"rojo=1,novalue"})).isEmpty();
        assertThat(TraceState.bound(new String[] {"rojo=1,=x"})).isEmpty();
        assertThat(TraceState.bound(new String[] {"Rojo=1"})).isEmpty();
        assertThat(TraceState.bound(new String[] {"rojo=a=b"})).isEmpty();
        assertThat(TraceState.bound(new String[] {"rojo=\u0001"})).isEmpty();
    }
}
