package io.gatehouse.plugins.auth;

import io.gatehouse.api.FilterContext;
import io.gatehouse.api.outbound.OutboundClient;
import io.gatehouse.api.testkit.ManualScheduler;
import io.gatehouse.api.testkit.TestOutboundClient;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** A filter context with a blocking executor of the test's choice (one that refuses work, say). */
record TestContext(Clock clock, ScheduledExecutorService scheduler, Executor blockingExecutor, OutboundClient http)
        implements FilterContext {

    static TestContext of(ManualScheduler time, Executor blocking) {
        return new TestContext(time.clock(), time, blocking, TestOutboundClient.create());
    }

    @Override
    public String instanceName() {
        return "auth#0";
    }
}
