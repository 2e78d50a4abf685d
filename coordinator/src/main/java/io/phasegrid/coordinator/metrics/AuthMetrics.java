package io.phasegrid.coordinator.metrics;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.phasegrid.common.metrics.MetricNames;
import io.phasegrid.coordinator.auth.AuthInterceptor;

/** {@value MetricNames#AUTH_REFUSALS}: the calls authentication refused, by method, principal and status. */
public final class AuthMetrics implements AuthInterceptor.Refusals {

    private final MeterRegistry registry;

    public AuthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void refused(String fullMethodName, String principal, Status.Code code) {
        Counter.builder(MetricNames.AUTH_REFUSALS)
                .description("calls refused by authentication before any handler ran")
                .tag(MetricNames.Tag.METHOD, fullMethodName)
                .tag(MetricNames.Tag.PRINCIPAL, principal)
                .tag(MetricNames.Tag.CODE, code.name())
                .register(registry)
                .increment();
    }
}
