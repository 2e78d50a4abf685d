package io.phasegrid.worker.metrics;

import static io.phasegrid.common.metrics.MetricNames.Tag;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.phasegrid.common.metrics.Buckets;
import io.phasegrid.common.metrics.MetricNames;
import io.phasegrid.worker.executor.PhaseOutcome;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * What a worker process records (docs/metrics.md): its slots, the attempts it executed by outcome and how long they
 * ran, and its reconnects. No worker tag: the Prometheus {@code instance} label names the process. The cluster's view
 * of every worker's slots is the coordinator's {@code phasegrid_worker_slots{worker}}.
 */
public final class WorkerMetrics {

    private final MeterRegistry registry;
    private final Map<PhaseOutcome.Status, Counter> executed = new EnumMap<>(PhaseOutcome.Status.class);
    private final Timer duration;
    private final Counter reconnects;
    private final java.util.List<SlotSource> slotSources = new java.util.ArrayList<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (PhaseOutcome.Status status : PhaseOutcome.Status.values()) {
            executed.put(status, Counter.builder(MetricNames.AGENT_PHASES)
                    .description("Attempts this worker executed, by outcome")
                    .tag(Tag.OUTCOME, status.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        duration = Timer.builder(MetricNames.AGENT_PHASE_DURATION)
                .description("How long this worker's attempts ran")
                .serviceLevelObjectives(Buckets.PHASE_DURATION).register(registry);
        reconnects = Counter.builder(MetricNames.AGENT_RECONNECTS)
                .description("Connections to a coordinator re-established after a loss").register(registry);
    }

    /** Records nothing: for a worker started without {@code --metrics-port}. */
    public static WorkerMetrics disabled() {
        return new WorkerMetrics(new CompositeMeterRegistry());
    }

    /**
     * Registers the slot gauges: {@code total} from the worker's options, {@code busy} read at each scrape (e.g.
     * {@code () -> slots - freeSlots.availablePermits()}). Each agent sharing this instance calls it once; the gauges
     * show the sums.
     */
    public void bindSlots(int total, IntSupplier busy) {
        Objects.requireNonNull(busy, "busy");
        // several agents in one process (phasegrid run) share one WorkerMetrics: the gauges show their sums
        synchronized (slotSources) {
            slotSources.add(new SlotSource(total, busy));
            if (slotSources.size() == 1) {
                Gauge.builder(MetricNames.AGENT_SLOTS, this, m -> m.sumSlots(false))
                        .description("Slots this worker offers").register(registry);
                Gauge.builder(MetricNames.AGENT_SLOTS_BUSY, this, m -> m.sumSlots(true))
                        .description("Slots of this worker holding a lease").register(registry);
            }
        }
    }

    private record SlotSource(int total, IntSupplier busy) {
    }

    private double sumSlots(boolean busy) {
        synchronized (slotSources) {
            double sum = 0;
            for (SlotSource s : slotSources) {
                sum += busy ? s.busy().getAsInt() : s.total();
            }
            return sum;
        }
    }

    /** An attempt ended with {@code status} after running {@code durationMs}. */
    public void phaseExecuted(PhaseOutcome.Status status, long durationMs) {
        executed.get(status).increment();
        if (durationMs >= 0) {
            duration.record(durationMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The connection to a coordinator was lost and is back (to the same or another member). */
    public void reconnected() {
        reconnects.increment();
    }
}
