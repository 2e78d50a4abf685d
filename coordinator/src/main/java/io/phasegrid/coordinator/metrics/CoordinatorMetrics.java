package io.phasegrid.coordinator.metrics;

import static io.phasegrid.common.metrics.MetricNames.Tag;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.phasegrid.common.metrics.Buckets;
import io.phasegrid.common.metrics.MetricNames;
import io.phasegrid.common.metrics.MetricNames.Outcome;
import io.phasegrid.common.metrics.MetricNames.Reason;
import io.phasegrid.common.metrics.MetricNames.RunState;
import io.phasegrid.coordinator.ledger.LedgerSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a coordinator member records (docs/metrics.md). The recording methods are cheap (a cached counter or timer, no
 * allocation for known tag values) and safe from any thread. Tag values outside {@link MetricNames}' lists are
 * recorded as {@code other}, so a wrong value cannot add series.
 *
 * <p>Counters and histograms count what this member did: Prometheus sums them over members. Gauges come from
 * {@link #bindGauges(ClusterGauges)} and are cluster-wide.
 */
public final class CoordinatorMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorMetrics.class);
    private static final Set<String> RUN_STATES = Set.of(RunState.QUEUED, RunState.RUNNING, RunState.PAUSED,
            RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED);

    private final MeterRegistry registry;
    private final Counter leasesGranted;
    private final Counter leasesRenewed;
    private final Counter leasesExpired;
    private final Counter staleRefused;
    private final Counter sequentialFallbacks;
    private final Counter budgetPauses;
    private final Timer phaseDuration;
    private final Timer scheduleToStart;
    private final DistributionSummary runMaxParallelism;
    private final Map<String, Map<String, Counter>> finished = new ConcurrentHashMap<>();
    private final Map<String, Counter> requeued = new ConcurrentHashMap<>();
    private final Map<String, Counter> runsFinished = new ConcurrentHashMap<>();

    /** Longest a scrape waits for the cluster gauges' reads (Prometheus's scrape timeout is 10 s by default). */
    static final long REFRESH_WAIT_MS = 2_000;

    private ClusterGauges source;
    /** Reads the cluster gauges off the scraping thread, one read at a time; its thread ends when idle. */
    private final ExecutorService refresher = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "phasegrid-gauge-refresh");
                t.setDaemon(true);
                return t;
            });
    private Future<?> refreshing; // guarded by this
    private MultiGauge runsByState;
    private MultiGauge workerSlots;
    private MultiGauge workerSlotsBusy;
    private volatile ClusterGauges.RunTotals runs;
    private volatile LedgerSnapshot tokens;
    private volatile Map<String, ClusterGauges.Slots> workers;

    public CoordinatorMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        leasesGranted = Counter.builder(MetricNames.LEASES_GRANTED)
                .description("Leases granted to workers").register(registry);
        leasesRenewed = Counter.builder(MetricNames.LEASES_RENEWED)
                .description("Leases renewed by a heartbeat or checkpoint").register(registry);
        leasesExpired = Counter.builder(MetricNames.LEASES_EXPIRED)
                .description("Leases whose deadline passed (worker lost)").register(registry);
        staleRefused = Counter.builder(MetricNames.LEASES_STALE_REFUSED)
                .description("Reports refused for a stale epoch, a closed lease or another worker").register(registry);
        sequentialFallbacks = Counter.builder(MetricNames.SEQUENTIAL_FALLBACKS)
                .description("Runs that fell back to one phase at a time for lack of budget").register(registry);
        budgetPauses = Counter.builder(MetricNames.BUDGET_PAUSES)
                .description("Runs paused with reason token_budget").register(registry);
        phaseDuration = Timer.builder(MetricNames.PHASE_DURATION)
                .description("Attempt duration, lease to report")
                .serviceLevelObjectives(Buckets.PHASE_DURATION).register(registry);
        scheduleToStart = Timer.builder(MetricNames.PHASE_SCHEDULE_TO_START)
                .description("READY to leased")
                .serviceLevelObjectives(Buckets.SCHEDULE_TO_START).register(registry);
        runMaxParallelism = DistributionSummary.builder(MetricNames.RUN_MAX_PARALLELISM)
                .description("Most phases a finished run had in flight at once")
                .serviceLevelObjectives(Buckets.PARALLELISM).register(registry);
        registerKnownOutcomes();
    }

    /** Records nothing: for a process started without {@code --metrics-port}. */
    public static CoordinatorMetrics disabled() {
        return new CoordinatorMetrics(new CompositeMeterRegistry());
    }

    /** {@code n} leases granted by one lease call (a poll may lease several phases at once). */
    public void leaseGranted(int n) {
        leasesGranted.increment(n);
    }

    /** {@code n} leases renewed by one heartbeat or checkpoint. */
    public void leaseRenewed(int n) {
        leasesRenewed.increment(n);
    }

    /** {@code n} leases expired by one sweep of a run. */
    public void leaseExpired(int n) {
        leasesExpired.increment(n);
    }

    /** A report (complete, checkpoint, heartbeat) refused with FAILED_PRECONDITION. */
    public void staleEpochRefused() {
        staleRefused.increment();
    }

    /**
     * A phase reached a final state.
     *
     * @param outcome the {@code PhaseState} name: SUCCEEDED, FAILED, BLOCKED, SKIPPED or CANCELLED (any case)
     * @param reason a {@link Reason} value: {@code none} for SUCCEEDED and SKIPPED, {@code execution_error} or
     *     {@code lease_expired} for FAILED, {@code blocked}, {@code cancelled}; null means {@code none}
     */
    public void phaseFinished(String outcome, String reason) {
        String o = known(outcome, Outcome.FINAL, Outcome.OTHER);
        String r = known(reason == null ? Reason.NONE : reason, Reason.ALL, Reason.OTHER);
        Map<String, Counter> byReason = finished.get(o);
        Counter counter = byReason == null ? null : byReason.get(r);
        if (counter == null) {
            counter = finished.computeIfAbsent(o, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(r, k -> finishedCounter(o, r));
        }
        counter.increment();
    }

    /**
     * An attempt ended without a final state and the phase went back to READY: {@code execution_error} (retried
     * under the retry policy) or {@code lease_expired} (re-leased from its checkpoint).
     */
    public void phaseRequeued(String reason) {
        String r = known(reason, Reason.ALL, Reason.OTHER);
        Counter counter = requeued.get(r);
        (counter != null ? counter : requeued.computeIfAbsent(r, this::requeuedCounter)).increment();
    }

    /** How long an attempt ran, lease to report, in coordinator time. */
    public void phaseDuration(long ms) {
        if (ms >= 0) {
            phaseDuration.record(ms, TimeUnit.MILLISECONDS);
        }
    }

    /** How long a phase waited READY before it was leased. */
    public void readyToStarted(long ms) {
        if (ms >= 0) {
            scheduleToStart.record(ms, TimeUnit.MILLISECONDS);
        }
    }

    /** A run fell back to one phase at a time (once per fall-back). */
    public void fallbackToSequential() {
        sequentialFallbacks.increment();
    }

    /** A run was PAUSED with reason {@code token_budget}. */
    public void pausedOnBudget() {
        budgetPauses.increment();
    }

    /**
     * A run reached a final state.
     *
     * @param state the {@code RunState} name: SUCCEEDED, FAILED or CANCELLED (any case)
     * @param maxParallelism the most phases it had LEASED or RUNNING at once
     */
    public void runFinished(String state, int maxParallelism) {
        String s = known(state, RUN_STATES, RunState.OTHER);
        runsFinished.computeIfAbsent(s, this::runsFinishedCounter).increment();
        if (maxParallelism > 0) {
            runMaxParallelism.record(maxParallelism);
        }
    }

    /**
     * Registers the cluster-wide gauges, read from {@code gauges} by {@link #refreshGauges()}. Call once per member;
     * have the metrics server refresh before each scrape ({@code MetricsServer.beforeScrape(this::refreshGauges)}).
     */
    public synchronized void bindGauges(ClusterGauges gauges) {
        if (source != null) {
            throw new IllegalStateException("gauges are already bound");
        }
        source = Objects.requireNonNull(gauges, "gauges");
        Gauge.builder(MetricNames.PHASES_RUNNING, () -> fromRuns(r -> r.phasesRunning()))
                .description("Phases LEASED or RUNNING in the cluster").register(registry);
        Gauge.builder(MetricNames.READY_QUEUE_DEPTH, () -> fromRuns(r -> r.readyQueueDepth()))
                .description("Phases READY").register(registry);
        TimeGauge.builder(MetricNames.READY_OLDEST_AGE, () -> fromRuns(r -> r.oldestReadyAgeMs()),
                TimeUnit.MILLISECONDS).description("Age of the oldest READY phase").register(registry);
        tokenGauge(MetricNames.TOKENS_BUDGET, "Token budget (0 = unlimited)", LedgerSnapshot::budget);
        tokenGauge(MetricNames.TOKENS_RESERVED, "Tokens reserved by leased and running phases",
                LedgerSnapshot::reserved);
        tokenGauge(MetricNames.TOKENS_USED, "Tokens charged by finished attempts", LedgerSnapshot::used);
        tokenGauge(MetricNames.TOKENS_REMAINING, "Tokens neither reserved nor used (NaN when unlimited)",
                t -> t.unlimited() ? Double.NaN : t.remaining());
        Gauge.builder(MetricNames.WORKERS_CONNECTED, () -> workers == null ? Double.NaN : workers.size())
                .description("Workers connected to the cluster").register(registry);
        runsByState = MultiGauge.builder(MetricNames.RUNS).description("Runs by state").register(registry);
        workerSlots = MultiGauge.builder(MetricNames.WORKER_SLOTS).description("Slots per worker").register(registry);
        workerSlotsBusy = MultiGauge.builder(MetricNames.WORKER_SLOTS_BUSY).description("Busy slots per worker")
                .register(registry);
    }

    /**
     * Reads {@link ClusterGauges} once and updates the gauges; a group that fails keeps its previous values. Waits at
     * most {@link #REFRESH_WAIT_MS} for the reads: while the maps are slow (a durable store whose database is away
     * holds the partition threads) the scrape answers with the previous values, so the member's own meters, such as
     * {@code phasegrid_store_available}, stay visible. A read still running is not started again.
     */
    public synchronized void refreshGauges() {
        if (source == null) {
            return;
        }
        if (refreshing == null || refreshing.isDone()) {
            refreshing = refresher.submit(this::readGauges);
        }
        try {
            refreshing.get(REFRESH_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            LOG.warn("the cluster gauges took over {} ms to read; this scrape has their previous values",
                    REFRESH_WAIT_MS);
        } catch (ExecutionException e) {
            LOG.warn("could not read the cluster gauges; keeping the previous values", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readGauges() {
        try {
            ClusterGauges.RunTotals totals = source.runs();
            runs = totals;
            runsByState.register(runRows(totals.runsByState()), true);
        } catch (RuntimeException e) {
            LOG.warn("could not read the runs for metrics; keeping the previous values", e);
        }
        try {
            tokens = source.tokens();
        } catch (RuntimeException e) {
            LOG.warn("could not read the ledger for metrics; keeping the previous values", e);
        }
        try {
            Map<String, ClusterGauges.Slots> now = Map.copyOf(source.workers());
            workers = now;
            // overwrite = true also removes the rows of workers that left
            workerSlots.register(workerRows(now, false), true);
            workerSlotsBusy.register(workerRows(now, true), true);
        } catch (RuntimeException e) {
            LOG.warn("could not read the workers for metrics; keeping the previous values", e);
        }
    }

    private void registerKnownOutcomes() {
        phaseFinishedCounter(Outcome.SUCCEEDED, Reason.NONE);
        phaseFinishedCounter(Outcome.SKIPPED, Reason.NONE);
        phaseFinishedCounter(Outcome.FAILED, Reason.EXECUTION_ERROR);
        phaseFinishedCounter(Outcome.FAILED, Reason.LEASE_EXPIRED);
        phaseFinishedCounter(Outcome.BLOCKED, Reason.BLOCKED);
        phaseFinishedCounter(Outcome.CANCELLED, Reason.CANCELLED);
        requeued.computeIfAbsent(Reason.EXECUTION_ERROR, this::requeuedCounter);
        requeued.computeIfAbsent(Reason.LEASE_EXPIRED, this::requeuedCounter);
        for (String state : List.of(RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED)) {
            runsFinished.computeIfAbsent(state, this::runsFinishedCounter);
        }
    }

    private void phaseFinishedCounter(String outcome, String reason) {
        finished.computeIfAbsent(outcome, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(reason, k -> finishedCounter(outcome, reason));
    }

    private Counter finishedCounter(String outcome, String reason) {
        return Counter.builder(MetricNames.PHASES_FINISHED).description("Phases that reached a final state")
                .tag(Tag.OUTCOME, outcome).tag(Tag.REASON, reason).register(registry);
    }

    private Counter requeuedCounter(String reason) {
        return Counter.builder(MetricNames.PHASES_REQUEUED).description("Attempts that put their phase back to READY")
                .tag(Tag.REASON, reason).register(registry);
    }

    private Counter runsFinishedCounter(String state) {
        return Counter.builder(MetricNames.RUNS_FINISHED).description("Runs that finished")
                .tag(Tag.STATE, state).register(registry);
    }

    private void tokenGauge(String name, String description, ToDoubleFunction<LedgerSnapshot> value) {
        Gauge.builder(name, () -> {
            LedgerSnapshot t = tokens;
            return t == null ? Double.NaN : value.applyAsDouble(t);
        }).description(description).register(registry);
    }

    private double fromRuns(ToDoubleFunction<ClusterGauges.RunTotals> value) {
        ClusterGauges.RunTotals r = runs;
        return r == null ? Double.NaN : value.applyAsDouble(r);
    }

    private static List<MultiGauge.Row<?>> runRows(Map<String, Integer> byState) {
        Map<String, Integer> counts = new TreeMap<>();
        RUN_STATES.forEach(state -> counts.put(state, 0));
        byState.forEach((state, count) -> counts.merge(known(state, RUN_STATES, RunState.OTHER), count, Integer::sum));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((state, count) -> rows.add(MultiGauge.Row.of(Tags.of(Tag.STATE, state), count)));
        return rows;
    }

    private static List<MultiGauge.Row<?>> workerRows(Map<String, ClusterGauges.Slots> workers, boolean busy) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        workers.forEach((name, slots) -> rows.add(
                MultiGauge.Row.of(Tags.of(Tag.WORKER, name), busy ? slots.busy() : slots.total())));
        return rows;
    }

    private static String known(String value, Set<String> allowed, String other) {
        if (value == null) {
            return other;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return allowed.contains(lower) ? lower : other;
    }
}
