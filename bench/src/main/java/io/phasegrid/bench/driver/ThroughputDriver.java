package io.phasegrid.bench.driver;

import io.phasegrid.bench.gen.Shape;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.store.LeaseBatch;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.run.store.RunSummary;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.proto.v1.Run;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Cluster throughput benchmark (issue 4, section 6), all measurements in one JVM:
 * <ol>
 *   <li>embedded cluster: submit -> SUCCEEDED wall time of a structured roadmap on one coordinator member and
 *       {@code --workers} x {@code --slots} local workers (simulate executor, time scale 0), with the workers' RPCs
 *       and the member's map operations per phase;</li>
 *   <li>floor A: the same DAG on {@link java.util.concurrent.CompletableFuture}s in process;</li>
 *   <li>floor B: the same phase transitions as direct entry processor calls on the same member (lease + complete,
 *       with and without the ledger calls);</li>
 *   <li>dispatch latency ready -> leased at a steady rate (runs of independent phases submitted at a fixed pace);</li>
 *   <li>coordinator heap with {@code --heap-phases} phases in flight (no workers).</li>
 * </ol>
 * Usage: {@code java -cp bench/target/benchmarks.jar io.phasegrid.bench.driver.ThroughputDriver [--shape
 * wide|deep|both] [--phases 10000] [--workers 4] [--slots 32] [--repeats 5] [--warmups 2] [--max-parallel 1000]
 * [--latency-seconds 10] [--latency-rate 1000] [--latency-batch 10] [--heap-phases 100000] [--transport stream|unary] [--skip ...]}.
 */
public final class ThroughputDriver {

    static final long RUN_TIMEOUT_MS = 600_000;

    static final class Args {
        List<Shape> shapes = List.of(Shape.WIDE, Shape.DEEP);
        int phases = 10_000;
        int workers = 4;
        int slots = 32;
        int repeats = 5;
        int warmups = 2;
        int maxParallel = 1_000;
        int latencySeconds = 10;
        int latencyRate = 1_000;
        int latencyBatch = 10;
        int heapPhases = 100_000;
        List<String> skip = new ArrayList<>();
        boolean unary;
        /** off: no registry; on: the cluster records metrics; both: the cluster runs measured on two clusters. */
        String metrics = "off";

        static Args parse(String[] argv) {
            Args a = new Args();
            DriverMain.options(argv, (name, v) -> {
                switch (name) {
                    case "--shape" -> a.shapes = v.equals("both") ? List.of(Shape.WIDE, Shape.DEEP)
                            : List.of(Shape.parse(v));
                    case "--phases" -> a.phases = Integer.parseInt(v);
                    case "--workers" -> a.workers = Integer.parseInt(v);
                    case "--slots" -> a.slots = Integer.parseInt(v);
                    case "--repeats" -> a.repeats = Integer.parseInt(v);
                    case "--warmups" -> a.warmups = Integer.parseInt(v);
                    case "--max-parallel" -> a.maxParallel = Integer.parseInt(v);
                    case "--latency-seconds" -> a.latencySeconds = Integer.parseInt(v);
                    case "--latency-rate" -> a.latencyRate = Integer.parseInt(v);
                    case "--latency-batch" -> a.latencyBatch = Integer.parseInt(v);
                    case "--heap-phases" -> a.heapPhases = Integer.parseInt(v);
                    case "--skip" -> a.skip.addAll(List.of(v.split(",")));
                    case "--metrics" -> a.metrics = switch (v) {
                        case "off", "on", "both" -> v;
                        default -> throw new IllegalArgumentException("--metrics off|on|both, not " + v);
                    };
                    case "--transport" -> a.unary = switch (v) {
                        case "unary" -> true;
                        case "stream" -> false;
                        default -> throw new IllegalArgumentException("--transport stream|unary, not " + v);
                    };
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            });
            return a;
        }
    }

    private ThroughputDriver() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv);
        out("ThroughputDriver: shapes=%s phases=%d workers=%d slots=%d repeats=%d warmups=%d maxParallel=%d",
                a.shapes, a.phases, a.workers, a.slots, a.repeats, a.warmups, a.maxParallel);
        out("%s", DriverMain.machine());
        Map<Shape, Dag> dags = new LinkedHashMap<>();
        for (Shape s : a.shapes) {
            dags.put(s, Dag.of(s, a.phases));
        }
        Map<String, List<Double>> results = new LinkedHashMap<>();

        // floor A
        if (!a.skip.contains("floorA")) {
            ExecutorService pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
            for (Shape s : a.shapes) {
                for (int r = -a.warmups; r < a.repeats; r++) {
                    double ms = InProcessFloor.run(dags.get(s), pool);
                    record(results, r, "floorA." + s.cliName(), a.phases * 1000.0 / ms);
                    out("  floor A %s %s: %.1f ms, %.0f phases/s", s.cliName(), rep(r), ms, a.phases * 1000.0 / ms);
                }
            }
            pool.shutdown();
        }

        try (BenchCluster cluster = BenchCluster.start(a.metrics.equals("on"));
                BenchCluster metered = a.metrics.equals("both") ? BenchCluster.start(true) : null) {
            // floor B: before any worker is started, so nobody else leases the runs
            if (!a.skip.contains("floorB")) {
                for (Shape s : a.shapes) {
                    for (int mode = 0; mode < 4; mode++) {
                        boolean withLedger = (mode & 1) != 0;
                        boolean batched = (mode & 2) != 0;
                        String label = "floorB" + (batched ? "-batched" : "") + (withLedger ? "+ledger." : ".")
                                + s.cliName();
                        for (int r = -a.warmups; r < a.repeats; r++) {
                            FloorResult f = cluster.rawFloor(dags.get(s), a.workers, a.slots,
                                    withLedger, batched, RUN_TIMEOUT_MS);
                            record(results, r, label, f.phasesPerSecond());
                            record(results, r, label + ".epPerPhase",
                                    (double) f.mapOps().totalEntryProcessors() / f.phases());
                            out("  %s %s: %.1f ms, %.0f phases/s; driver calls lease=%d (empty %d) complete=%d"
                                    + " ledger=%d (%.2f/phase); member operations %d (calibration: driver made %d + 1 view);"
                                    + " entry writes %s",
                                    label, rep(r), f.wallMs(), f.phasesPerSecond(), f.leaseCalls(),
                                    f.emptyLeaseCalls(), f.completeCalls(), f.ledgerCalls(),
                                    (double) f.driverCalls() / f.phases(), f.mapOps().totalEntryProcessors(),
                                    f.driverCalls(), f.mapOps().writes());
                        }
                    }
                }
            }

            cluster.startWorkers(a.workers, a.slots, 0, a.unary);
            if (metered != null) {
                metered.startWorkers(a.workers, a.slots, 0, a.unary);
            }
            if (!a.skip.contains("cluster")) {
                for (Shape s : a.shapes) {
                    // with --metrics both, each repeat runs on both clusters
                    for (int run = 2 * -a.warmups; run < 2 * a.repeats; run++) {
                        if (run % 2 != 0 && metered == null) {
                            continue;
                        }
                        int r = Math.floorDiv(run, 2);
                        // the order alternates between repeats, so neither cluster always runs second
                        boolean plainFirst = metered == null || r % 2 == 0;
                        BenchCluster on = (run % 2 == 0) == plainFirst ? cluster : metered;
                        ClusterResult c = on.runCluster(dags.get(s), a.maxParallel, RUN_TIMEOUT_MS);
                        if (c.succeeded() != c.phases()) {
                            throw new IllegalStateException("only " + c.succeeded() + " of " + c.phases()
                                    + " phases succeeded");
                        }
                        String label = (on == metered ? "clusterMetered." : "cluster.") + s.cliName();
                        record(results, r, label, c.phasesPerSecond());
                        record(results, r, label + ".rpcPerPhase", c.rpcsPerPhase());
                        record(results, r, label + ".epPerPhase", c.entryProcessorsPerPhase());
                        record(results, r, label + ".cpuMicrosPerPhase", c.cpuMicrosPerPhase());
                        record(results, r, label + ".coresBusy", c.coresBusy());
                        record(results, r, label + ".leasesPerPoll",
                                (double) c.rpcs().get("leasesReceived") / c.rpcs().get("pollLease"));
                        out("  " + (on == metered ? "metered " : "") + "cluster %s %s: %.1f ms"
                                + " (coordinator created->finished %.0f ms), %.0f phases/s;"
                                + " cpu %.0f us/phase (%.2f cores busy); rpcs %s = %.2f/phase;"
                                + " member operations %d (- %d driver views) = %.2f/phase; gets %s, entry writes %s",
                                s.cliName(), rep(r), c.wallMs(), c.coordinatorMs(), c.phasesPerSecond(),
                                c.cpuMicrosPerPhase(),
                                c.coresBusy(), c.rpcs(),
                                c.rpcsPerPhase(), c.mapOps().totalEntryProcessors(), c.viewsByDriver(),
                                c.entryProcessorsPerPhase(), c.mapOps().reads(), c.mapOps().writes());
                    }
                }
            }

            if (!a.skip.contains("latency")) {
                for (int r = -Math.min(1, a.warmups); r < 1; r++) {
                    long[] delays = dispatchLatency(cluster, a.latencySeconds * (r < 0 ? 1 : 1), a.latencyRate,
                            a.latencyBatch, r < 0 ? "warm-up" : "measured");
                    if (r >= 0) {
                        results.put("latency.p50", List.of((double) Stats.percentile(delays, 50)));
                        results.put("latency.p99", List.of((double) Stats.percentile(delays, 99)));
                    }
                }
            }
            cluster.stopWorkers();

            if (!a.skip.contains("heap")) {
                heap(cluster, a.heapPhases);
            }
        }

        out("");
        out("== medians of %d measured repeat(s) (load average now %.2f) ==", a.repeats, DriverMain.load());
        results.forEach((k, v) -> out("%-36s %12.2f   (all: %s)", k, Stats.median(v), fmt(v)));
        for (Shape s : a.shapes) {
            List<Double> c = results.get("cluster." + s.cliName());
            List<Double> b = results.get("floorB." + s.cliName());
            List<Double> bl = results.get("floorB+ledger." + s.cliName());
            if (c != null && b != null) {
                out("ratio cluster/floorB %s: %.1f %%; cluster/floorB+ledger: %.1f %%", s.cliName(),
                        100 * Stats.median(c) / Stats.median(b), bl == null ? Double.NaN
                                : 100 * Stats.median(c) / Stats.median(bl));
            }
            List<Double> bb = results.get("floorB-batched+ledger." + s.cliName());
            if (c != null && bb != null) {
                out("ratio cluster/floorB-batched+ledger %s: %.1f %%", s.cliName(),
                        100 * Stats.median(c) / Stats.median(bb));
            }
            List<Double> m = results.get("clusterMetered." + s.cliName());
            if (c != null && m != null) {
                // each repeat ran both clusters back to back: the ratio per repeat cancels drift between repeats
                List<Double> paired = new ArrayList<>();
                for (int k = 0; k < Math.min(c.size(), m.size()); k++) {
                    paired.add(m.get(k) / c.get(k));
                }
                out("metrics cost %s: metered / plain = %.3f (medians %.0f / %.0f phases/s); median of the per-repeat"
                        + " ratios %.3f", s.cliName(), Stats.median(m) / Stats.median(c), Stats.median(m),
                        Stats.median(c), Stats.median(paired));
            }
        }
        System.exit(0); // Hazelcast and gRPC leave non-daemon threads behind on some paths
    }

    /** Runs the cluster measurement once on a fresh cluster (for the smoke test). */
    public static ClusterResult clusterOnce(Shape shape, int phases, int workers, int slots)
            throws Exception {
        try (BenchCluster cluster = BenchCluster.start()) {
            cluster.startWorkers(workers, slots);
            return cluster.runCluster(Dag.of(shape, phases), 1_000, RUN_TIMEOUT_MS);
        }
    }

    /**
     * Measurement 4. Runs of {@code batch} independent phases are submitted every {@code batch * 1000 / rate} ms
     * for {@code seconds}; a phase is READY when its run is created, so ready -> leased is the phase's
     * {@code started_at_ms} (lease time) minus the run's {@code created_at_ms}, both on the coordinator's clock in
     * milliseconds.
     */
    static long[] dispatchLatency(BenchCluster cluster, int seconds, int rate, int batch, String label) {
        Dag dag = Dag.independent(batch);
        long periodNs = 1_000_000_000L * batch / rate;
        int runsToSubmit = seconds * rate / batch;
        List<String> ids = new ArrayList<>(runsToSubmit);
        long start = System.nanoTime();
        long next = start;
        long lateNs = 0;
        for (int k = 0; k < runsToSubmit; k++) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
            } else {
                lateNs = Math.max(lateNs, now - next);
            }
            ids.add(cluster.submit(dag.roadmap(), 1_000, "latency"));
            next += periodNs;
        }
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        long[] delays = new long[runsToSubmit * batch];
        int n = 0;
        for (String id : ids) {
            cluster.awaitFinished(id, RUN_TIMEOUT_MS, new AtomicReference<>());
            Run run = cluster.get(id);
            for (long d : BenchCluster.dispatchDelays(run)) {
                delays[n++] = d;
            }
            cluster.remove(id);
        }
        out("  latency %s: %d phases in %d runs of %d over %.2f s (%.0f phases/s offered, max lateness %.1f ms);"
                + " ready->leased ms p50=%d p90=%d p99=%d max=%d", label, n, runsToSubmit, batch, submitSeconds,
                n / submitSeconds, lateNs / 1e6, Stats.percentile(delays, 50), Stats.percentile(delays, 90),
                Stats.percentile(delays, 99), Stats.percentile(delays, 100));
        return delays;
    }

    /** Measurement 5: heap used after GC before and after a run of {@code phases} independent phases in flight. */
    static void heap(BenchCluster cluster, int phases) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Dag dag = Dag.independent(phases);
        var roadmap = dag.roadmap();
        long before = usedAfterGc(memory);
        long t0 = System.nanoTime();
        String runId = cluster.submit(roadmap, 1_000, "heap");
        double submitMs = (System.nanoTime() - t0) / 1e6;
        RunStore store = cluster.store();
        // lease up to max_parallel so some phases are LEASED, the rest READY
        int leased = 0;
        List<LeaseGrant> grants = new ArrayList<>();
        long tl = System.nanoTime();
        int leaseCalls = 0;
        while (leased < 1_000) {
            LeaseBatch b = store.lease(runId, "heap-probe", 128, System.currentTimeMillis());
            leaseCalls++;
            if (b.grants().isEmpty()) {
                break;
            }
            leased += b.grants().size();
            grants.addAll(b.grants());
        }
        double leaseMs = (System.nanoTime() - tl) / 1e6 / leaseCalls;
        long after = usedAfterGc(memory);
        // cost of one entry processor call on a record of this size (copy-on-write): complete 200 leases
        int m = Math.min(200, grants.size());
        long tc = System.nanoTime();
        for (int k = 0; k < m; k++) {
            LeaseGrant g = grants.get(k);
            store.complete(runId, g.key(), g.epoch(), Outcome.SUCCEEDED, g.estimatedTokens(), "",
                    System.currentTimeMillis(), null);
        }
        double completeMs = (System.nanoTime() - tc) / 1e6 / m;
        RunSummary s = store.view(runId, false);
        out("  heap: %d phases (%d leased, state %s): used after GC %d MB before, %d MB after, delta %d MB;"
                + " submit %.0f ms; one lease call (128) %.2f ms, one complete call %.2f ms at this size",
                phases, leased, s.state(), before >> 20, after >> 20, (after - before) >> 20, submitMs, leaseMs,
                completeMs);
        store.cancel(runId, System.currentTimeMillis());
        cluster.remove(runId);
        cluster.node().hazelcast().getMap(MapNames.SUBMISSIONS).clear();
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            LockSupport.parkNanos(200_000_000L);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void record(Map<String, List<Double>> results, int repeat, String key, double value) {
        if (repeat >= 0) {
            results.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    private static String rep(int r) {
        return r < 0 ? "warm-up" : "#" + (r + 1);
    }

    private static String fmt(List<Double> v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", d));
        }
        return sb.toString();
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
