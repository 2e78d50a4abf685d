package io.phasegrid.coordinator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.phasegrid.common.metrics.MetricNames;
import io.phasegrid.coordinator.store.StoreHealth;

/** The durable store's meters: whether the database answers, and how many store operations failed. */
public final class StoreMetrics {

    private StoreMetrics() {
    }

    public static void bind(MeterRegistry registry, StoreHealth health) {
        Gauge.builder(MetricNames.STORE_AVAILABLE, health, h -> h.available() ? 1 : 0)
                .description("1 while the durable store answers").register(registry);
        FunctionCounter.builder(MetricNames.STORE_FAILURES, health, StoreHealth::failures)
                .description("Durable store operations that failed").register(registry);
    }
}
