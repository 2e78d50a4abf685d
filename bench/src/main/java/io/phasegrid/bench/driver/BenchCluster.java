package io.phasegrid.bench.driver;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.node.CoordinatorNode;
import io.phasegrid.coordinator.store.StoreSettings;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.store.CompleteOutcomes;
import io.phasegrid.coordinator.run.store.PhaseReport;
import io.phasegrid.coordinator.run.store.LeaseBatch;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.run.store.RunSummary;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.worker.agent.GrpcCoordinatorLink;
import io.phasegrid.worker.agent.StreamCoordinatorLink;
import io.phasegrid.worker.agent.WorkerAgent;
import io.phasegrid.worker.agent.WorkerOptions;
import io.phasegrid.worker.executor.SimulateExecutor;
import io.phasegrid.worker.executor.SimulateOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded cluster of the benchmark, wired like {@code phasegrid run}: one {@link CoordinatorNode} (one
 * Hazelcast member under a private cluster name, gRPC on 127.0.0.1:0, default lease timings) and local
 * {@link WorkerAgent}s over loopback gRPC with the simulate executor at time scale 0. The workers' links count
 * their RPCs ({@link CountingLink}); map operations come from the member's map statistics ({@link MapOps}).
 */
public final class BenchCluster implements AutoCloseable {

    private final CoordinatorNode node;
    private final ManagedChannel channel;
    private final RunServiceGrpc.RunServiceBlockingStub runs;
    private final RunStore store;
    private final TokenLedger ledger;
    private final CountingLink.Counters counters = new CountingLink.Counters();
    private final List<WorkerAgent> agents = new ArrayList<>();
    private final String address;
    private PrometheusMeterRegistry registry;
    private ScheduledExecutorService scraper;
    private final java.util.concurrent.atomic.LongAdder scrapedBytes = new java.util.concurrent.atomic.LongAdder();

    private BenchCluster(CoordinatorNode node) {
        this.node = node;
        this.address = "127.0.0.1:" + node.grpcPort();
        this.channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create())
                .maxInboundMessageSize(256 << 20).build();
        this.runs = RunServiceGrpc.newBlockingStub(channel);
        this.store = new RunStore(node.hazelcast());
        this.ledger = new TokenLedger(node.hazelcast());
    }

    /** Starts the coordinator only (no workers yet). */
    public static BenchCluster start() throws Exception {
        return start(false);
    }

    /**
     * With {@code metered}, the coordinator and the workers record their metrics in one Prometheus registry that a
     * scraper thread reads once a second (gauges refreshed first), as a Prometheus server scraping it would.
     */
    public static BenchCluster start(boolean metered) throws Exception {
        return start(metered, Optional.empty());
    }

    /** As {@link #start(boolean)}, the durable maps in {@code store} when given. */
    public static BenchCluster start(boolean metered, Optional<StoreSettings> store) throws Exception {
        ClusterSettings cluster = ClusterSettings.builder()
                .clusterName("phasegrid-bench-" + UUID.randomUUID())
                .build();
        PrometheusMeterRegistry registry = metered ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        BenchCluster c = new BenchCluster(CoordinatorNode.start(CoordinatorNode.Options.loopback(cluster, 0)
                .withStore(store), registry));
        if (metered) {
            c.registry = registry;
            c.scraper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-scraper");
                t.setDaemon(true);
                return t;
            });
            c.scraper.scheduleWithFixedDelay(() -> {
                c.node.metrics().refreshGauges();
                c.scrapedBytes.add(registry.scrape().length());
            }, 1, 1, TimeUnit.SECONDS);
        }
        return c;
    }

    /** The registry of a metered cluster (null otherwise). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public CoordinatorNode node() {
        return node;
    }

    /** Starts {@code workers} agents of {@code slots} slots each; their RPCs are counted. */
    public void startWorkers(int workers, int slots) {
        startWorkers(workers, slots, 0, false);
    }

    /**
     * Starts {@code workers} agents of {@code slots} slots each whose simulate executor sleeps {@code timeScale} ms
     * per 1,000 estimated tokens; their RPCs are counted.
     */
    public void startWorkers(int workers, int slots, double timeScale) {
        startWorkers(workers, slots, timeScale, false);
    }

    /** As {@link #startWorkers(int, int, double)}; {@code unary}: over the unary RPCs instead of the Connect stream. */
    public void startWorkers(int workers, int slots, double timeScale, boolean unary) {
        SimulateExecutor executor = new SimulateExecutor(SimulateOptions.builder().timeScale(timeScale).build());
        for (int i = 1; i <= workers; i++) {
            WorkerOptions options = WorkerOptions.builder()
                    .name("bench-" + i)
                    .slots(slots)
                    .coordinators(List.of(address))
                    .drainGrace(Duration.ofSeconds(5))
                    .build();
            agents.add(new WorkerAgent(options, executor,
                    CountingLink.factory(unary ? GrpcCoordinatorLink.factory(options.rpcTimeout())
                            : StreamCoordinatorLink.factory(options.rpcTimeout()), counters)).start());
        }
    }

    /** Drains and stops every agent. */
    public void stopWorkers() {
        agents.forEach(a -> a.drain(Duration.ZERO));
        agents.clear();
    }

    /** Submits the roadmap over gRPC: eager, {@code maxParallel}, no budget, declared dependencies only. */
    public String submit(StructuredRoadmap roadmap, int maxParallel, String name) {
        return runs.submit(SubmitRunRequest.newBuilder()
                .setStructured(roadmap)
                .setName(name)
                .setOptions(RunOptions.newBuilder().setMaxParallel(maxParallel).setNoInfer(true))
                .build()).getRunId();
    }

    /** Submits a prepared request over gRPC; returns the run id. */
    public String submit(SubmitRunRequest request) {
        return runs.submit(request).getRunId();
    }

    public Run get(String runId) {
        return runs.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
    }

    /** Polls the run's summary (a read-only processor) every 5 ms until it is finished; returns the views made. */
    long awaitFinished(String runId, long timeoutMs, AtomicReference<RunSummary> last) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long views = 0;
        while (true) {
            RunSummary s = store.view(runId, false);
            views++;
            if (s != null && s.state().isFinished()) {
                last.set(s);
                return views;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " not finished after " + timeoutMs + " ms: "
                        + (s == null ? "missing" : s.state()));
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }

    /** Removes a finished run from the maps (so later measurements start from the same heap and map sizes). */
    public void remove(String runId) {
        store.runs().delete(runId);
        node.hazelcast().getMap(MapNames.RUN_META).delete(runId);
    }

    /** Measurement 1: submit the DAG, wait for the run to finish; workers must be running. */
    public ClusterResult runCluster(Dag dag, int maxParallel, long timeoutMs) {
        StructuredRoadmap roadmap = dag.roadmap();
        Map<String, Long> rpcBefore = counters.snapshot();
        MapOps opsBefore = MapOps.read(node.hazelcast());
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        String runId = submit(roadmap, maxParallel, "bench-" + dag.name());
        AtomicReference<RunSummary> summary = new AtomicReference<>();
        long views = awaitFinished(runId, timeoutMs, summary);
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        MapOps ops = MapOps.read(node.hazelcast()).minus(opsBefore);
        Map<String, Long> rpcAfter = counters.snapshot();
        Map<String, Long> rpcs = new java.util.TreeMap<>();
        rpcAfter.forEach((k, v) -> rpcs.put(k, v - rpcBefore.getOrDefault(k, 0L)));
        Run run = get(runId);
        remove(runId);
        RunSummary s = summary.get();
        return new ClusterResult(dag.size(), (t1 - t0) / 1e6, s.finishedAtMs() - s.createdAtMs(), rpcs, ops,
                views, run, (cpu1 - cpu0) / 1e6);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Measurement 3, the raw state floor: the run is submitted (untimed; no workers may be running), then
     * {@code threads} threads each loop lease (up to {@code batch}) + complete every grant with direct
     * {@link RunStore} calls - the same entry processors the gateway calls, no gRPC, no worker. With
     * {@code withLedger} each lease batch also reserves on the ledger and each completion settles, as the gateway
     * does.
     */
    public FloorResult rawFloor(Dag dag, int threads, int batch, boolean withLedger, long timeoutMs)
            throws InterruptedException {
        return rawFloor(dag, threads, batch, withLedger, false, timeoutMs);
    }

    /**
     * {@link #rawFloor(Dag, int, int, boolean, long)}; with {@code batched} the grants of each lease call are
     * completed in one {@link RunStore#completeAll} call and synced to the ledger once (what the gateway's group
     * commit does under load), else one call each. With the ledger, each lease call is funded as the gateway does (one
     * ledger {@code fund} per lease call; the run is told with the first completion call that follows).
     */
    public FloorResult rawFloor(Dag dag, int threads, int batch, boolean withLedger, boolean batched,
            long timeoutMs) throws InterruptedException {
        String runId = submit(dag.roadmap(), 1_000, "floor-" + dag.name());
        AtomicLong leases = new AtomicLong();
        AtomicLong empty = new AtomicLong();
        AtomicLong completes = new AtomicLong();
        AtomicLong ledgerCalls = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        MapOps before = MapOps.read(node.hazelcast());
        long deadline = System.currentTimeMillis() + timeoutMs;
        long t0 = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String worker = "floor-" + t;
            Thread thread = new Thread(() -> {
                try {
                    while (System.currentTimeMillis() < deadline) {
                        LeaseBatch b = store.lease(runId, worker, batch, System.currentTimeMillis(), withLedger);
                        leases.incrementAndGet();
                        if (b.finished()) {
                            return;
                        }
                        List<LeaseGrant> grants = b.grants();
                        if (grants.isEmpty()) {
                            empty.incrementAndGet();
                            LockSupport.parkNanos(20_000L);
                            continue;
                        }
                        int[] confirm = new int[0];
                        long[] confirmEpochs = new long[0];
                        if (withLedger) {
                            long[] estimates = new long[grants.size()];
                            for (int k = 0; k < estimates.length; k++) {
                                estimates[k] = grants.get(k).estimatedTokens();
                            }
                            int funded = Math.max(0, ledger.fund(b.shareKey(), b.leaseCall(), estimates, 0));
                            ledgerCalls.incrementAndGet();
                            confirm = new int[funded];
                            confirmEpochs = new long[funded];
                            for (int k = 0; k < funded; k++) {
                                confirm[k] = grants.get(k).phase();
                                confirmEpochs[k] = grants.get(k).epoch();
                            }
                            // the budget is unlimited: everything is funded, and the run is told with the reports
                        }
                        if (batched) {
                            List<PhaseReport> reports = new ArrayList<>(grants.size());
                            for (LeaseGrant g : grants) {
                                reports.add(new PhaseReport(g.key(), g.epoch(), Outcome.SUCCEEDED,
                                        g.estimatedTokens(), "", null));
                            }
                            CompleteOutcomes cs = store.completeAll(runId, reports, System.currentTimeMillis(),
                                    confirm, confirmEpochs);
                            completes.incrementAndGet();
                            if (withLedger && cs.share() != null) {
                                ledger.sync(cs.share(), System.currentTimeMillis());
                                ledgerCalls.incrementAndGet();
                            }
                            continue;
                        }
                        for (LeaseGrant g : grants) {
                            CompleteOutcomes c = store.completeAll(runId, List.of(new PhaseReport(g.key(),
                                    g.epoch(), Outcome.SUCCEEDED, g.estimatedTokens(), "", null)),
                                    System.currentTimeMillis(), confirm, confirmEpochs);
                            confirm = new int[0];
                            confirmEpochs = new long[0];
                            completes.incrementAndGet();
                            if (withLedger && c.share() != null) {
                                ledger.sync(c.share(), System.currentTimeMillis());
                                ledgerCalls.incrementAndGet();
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "raw-floor-" + t);
            workers.add(thread);
            thread.start();
        }
        for (Thread thread : workers) {
            thread.join();
        }
        long t1 = System.nanoTime();
        MapOps ops = MapOps.read(node.hazelcast()).minus(before);
        if (failure.get() != null) {
            throw new IllegalStateException("raw floor failed", failure.get());
        }
        RunSummary s = store.view(runId, false);
        if (s.state() != RunState.SUCCEEDED) {
            throw new IllegalStateException("raw floor run ended " + s.state());
        }
        remove(runId);
        return new FloorResult(dag.size(), (t1 - t0) / 1e6, leases.get(), empty.get(), completes.get(),
                ledgerCalls.get(), ops);
    }

    CountingLink.Counters counters() {
        return counters;
    }

    public RunStore store() {
        return store;
    }

    /** The run's phases' lease time minus the run's creation time (the phases had no dependencies). */
    static long[] dispatchDelays(Run run) {
        long[] out = new long[run.getPhasesCount()];
        int k = 0;
        for (RunPhase p : run.getPhasesList()) {
            out[k++] = p.getStartedAtMs() - run.getCreatedAtMs();
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        if (scraper != null) {
            scraper.shutdownNow();
        }
        stopWorkers();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        node.close();
    }
}
