package io.phasegrid.bench.driver;

import com.google.protobuf.ByteString;
import io.phasegrid.bench.driver.MakespanMath.Chain;
import io.phasegrid.bench.driver.MakespanMath.LowerBound;
import io.phasegrid.bench.driver.MakespanMath.OverrunSplit;
import io.phasegrid.bench.driver.MakespanMath.PhaseTiming;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.graph.RoadmapAnalyzer;
import io.phasegrid.common.parse.RoadmapLoader;
import io.phasegrid.common.simulate.DurationModel;
import io.phasegrid.common.simulate.ScheduleSimulator;
import io.phasegrid.common.simulate.Simulation;
import io.phasegrid.coordinator.run.store.RunSummary;
import io.phasegrid.proto.v1.BundleFile;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.PlanningBundle;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunState;
import io.phasegrid.proto.v1.Schedule;
import io.phasegrid.proto.v1.SubmitRunRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Makespan on the running embedded cluster (issue 4, section 6): for each corpus roadmap and slot count, the
 * roadmap is submitted over gRPC as a {@code .planning} bundle with every non-backlog phase included (the phase
 * set of {@code phasegrid simulate}), executed by the simulate executor at {@code --time-scale} ms per 1,000
 * estimated tokens, once eager and once with {@code --schedule waves}. The makespan is the coordinator's run record
 * (first lease to finished); the lower bound {@code max(critical path, work / slots)} is computed from the run's own
 * phases (estimates and dependencies) at the same time scale. The offline simulation of the same roadmap is
 * computed in process for comparison.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.phasegrid.bench.driver.MakespanDriver [--corpus DIR]
 * [--slots 3,8] [--time-scale 20] [--repeats 3] [--layout one|many] [--only SUBSTRING,...]}. Layout {@code one}:
 * one worker with N slots (default); {@code many}: N workers with 1 slot each.
 */
public final class MakespanDriver {

    static final class Args {
        Path corpus = Path.of("/work/shared/corpus/roadmaps");
        List<Integer> slots = List.of(3, 8);
        double timeScale = 20;
        int repeats = 3;
        boolean oneWorker = true;
        List<String> only = List.of();

        static Args parse(String[] argv) {
            Args a = new Args();
            DriverMain.options(argv, (name, v) -> {
                switch (name) {
                    case "--corpus" -> a.corpus = Path.of(v);
                    case "--slots" -> a.slots = Stream.of(v.split(",")).map(Integer::parseInt).toList();
                    case "--time-scale" -> a.timeScale = Double.parseDouble(v);
                    case "--repeats" -> a.repeats = Integer.parseInt(v);
                    case "--layout" -> a.oneWorker = switch (v) {
                        case "one" -> true;
                        case "many" -> false;
                        default -> throw new IllegalArgumentException("--layout one|many: " + v);
                    };
                    case "--only" -> a.only = List.of(v.split(","));
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            });
            return a;
        }
    }

    /** A corpus roadmap and its offline simulation (1,000 tokens = 1 simulated minute). */
    record Roadmap(String name, byte[] markdown, Map<Integer, Simulation> offline, int phases) {
    }

    /** One measured run. */
    record Measure(double makespanMs, double submitToSeenMs, int maxParallelism, LowerBound bound, Chain chain,
            double meanOverrunMs, OverrunSplit split) {
    }

    /** Medians of the repeats of one roadmap at one slot count, in ms. */
    record Row(String roadmap, int slots, int phases, double eagerMs, double wavesMs, double lowerBoundMs,
            double offlineEagerMs, double offlineWavesMs) {

        double eagerRatio() {
            return eagerMs / lowerBoundMs;
        }

        double wavesRatio() {
            return wavesMs / lowerBoundMs;
        }

        double offlineEagerRatio() {
            return offlineEagerMs / lowerBoundMs;
        }

        /** Cluster eager makespan over the offline simulated eager makespan at the same time scale. */
        double eagerOverOffline() {
            return eagerMs / offlineEagerMs;
        }

        double wavesOverOffline() {
            return wavesMs / offlineWavesMs;
        }
    }

    private MakespanDriver() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv);
        List<Roadmap> roadmaps = load(a);
        out("MakespanDriver: %d roadmaps, slots %s, time scale %.1f ms per 1,000 tokens, repeats %d, layout %s",
                roadmaps.size(), a.slots, a.timeScale, a.repeats,
                a.oneWorker ? "1 worker x N slots" : "N workers x 1 slot");
        out("%s", DriverMain.machine());
        double nominalS = 0;
        for (Roadmap r : roadmaps) {
            for (int n : a.slots) {
                Simulation s = r.offline().get(n);
                nominalS += (s.dependencyDrivenMinutes() + s.waveBarrierMinutes()) * a.timeScale / 1000.0;
            }
        }
        out("simulated work per repeat (offline eager + waves makespans): %.0f s", nominalS);

        // key: roadmap|slots|mode -> measures
        Map<String, List<Measure>> measures = new LinkedHashMap<>();
        List<Double> loads = new ArrayList<>();
        loads.add(DriverMain.load());
        try (BenchCluster cluster = BenchCluster.start()) {
            cluster.counters().recordLeaseTimes();
            // warm-up at time scale 0: every roadmap once per mode (JIT, connections, Hazelcast partitions)
            startWorkers(cluster, a.oneWorker, a.slots.get(a.slots.size() - 1), 0);
            long w0 = System.nanoTime();
            for (Roadmap r : roadmaps) {
                for (Schedule mode : new Schedule[] {Schedule.SCHEDULE_EAGER, Schedule.SCHEDULE_WAVES}) {
                    measure(cluster, r, a.slots.get(a.slots.size() - 1), mode, 0, 60_000);
                }
            }
            cluster.stopWorkers();
            out("warm-up (time scale 0, %d runs): %.1f s", roadmaps.size() * 2, (System.nanoTime() - w0) / 1e9);

            for (int rep = 1; rep <= a.repeats; rep++) {
                for (int n : a.slots) {
                    startWorkers(cluster, a.oneWorker, n, a.timeScale);
                    out("repeat %d, %d slots, load average %.2f", rep, n, DriverMain.load());
                    for (Roadmap r : roadmaps) {
                        Simulation s = r.offline().get(n);
                        for (Schedule mode : new Schedule[] {Schedule.SCHEDULE_EAGER, Schedule.SCHEDULE_WAVES}) {
                            double offlineMs = (mode == Schedule.SCHEDULE_EAGER ? s.dependencyDrivenMinutes()
                                    : s.waveBarrierMinutes()) * a.timeScale;
                            long timeout = (long) (offlineMs * 3) + 60_000;
                            Measure m = measure(cluster, r, n, mode, a.timeScale, timeout);
                            double lbMs = m.bound().millis(a.timeScale);
                            if (Math.abs(m.bound().tokens() - s.lowerBoundMinutes() * 1_000) > 0.5) {
                                out("  WARNING %s: lower bound of the run %.0f tokens != offline %.0f tokens",
                                        r.name(), m.bound().tokens(), s.lowerBoundMinutes() * 1_000);
                            }
                            measures.computeIfAbsent(key(r.name(), n, mode), k -> new ArrayList<>()).add(m);
                            Chain c = m.chain();
                            out("  %-42s %d %-5s makespan %8.0f ms (offline %8.0f, LB %8.0f) %.3f x LB, %.3f x"
                                    + " offline; max par %d; chain %d phases: nominal %.0f + overrun %.0f + gaps %d"
                                    + " + lead %d ms (%.1f ms/phase); mean overrun %.1f ms = delivery %.1f"
                                    + " + worker %.1f + report %.1f",
                                    r.name(), n, mode == Schedule.SCHEDULE_EAGER ? "eager" : "waves",
                                    m.makespanMs(), offlineMs, lbMs, m.makespanMs() / lbMs,
                                    m.makespanMs() / offlineMs, m.maxParallelism(), c.phases(), c.nominalMs(),
                                    c.overrunMs(), c.gapMs(), c.leadMs(), c.overheadPerPhaseMs(),
                                    m.meanOverrunMs(), m.split().deliveryMs(), m.split().workerMs(),
                                    m.split().reportMs());
                        }
                    }
                    cluster.stopWorkers();
                }
                loads.add(DriverMain.load());
            }
        }

        List<Row> rows = new ArrayList<>();
        for (Roadmap r : roadmaps) {
            for (int n : a.slots) {
                Simulation s = r.offline().get(n);
                List<Measure> eager = measures.get(key(r.name(), n, Schedule.SCHEDULE_EAGER));
                List<Measure> waves = measures.get(key(r.name(), n, Schedule.SCHEDULE_WAVES));
                rows.add(new Row(r.name(), n, r.phases(),
                        Stats.median(eager.stream().map(Measure::makespanMs).toList()),
                        Stats.median(waves.stream().map(Measure::makespanMs).toList()),
                        eager.get(0).bound().millis(a.timeScale),
                        s.dependencyDrivenMinutes() * a.timeScale, s.waveBarrierMinutes() * a.timeScale));
            }
        }
        out("");
        out("load average at the start and after each repeat: %s", loads.stream()
                .map(l -> String.format(Locale.ROOT, "%.2f", l)).toList());
        out("");
        System.out.print(table(rows));
        out("");
        System.out.print(summary(rows, a.slots));
        out("");
        out("chain decomposition (medians over repeats, eager):");
        for (Row row : rows) {
            List<Measure> eager = measures.get(key(row.roadmap(), row.slots(), Schedule.SCHEDULE_EAGER));
            out("  %-42s %d: chain %s phases, nominal %.0f ms, overrun %.0f ms, gaps %.0f ms, lead %.0f ms,"
                    + " overhead %.1f ms/phase; mean phase overrun %.1f ms (delivery %.1f, worker %.1f,"
                    + " report %.1f); eager - offline %.0f ms",
                    row.roadmap(), row.slots(),
                    Stats.median(eager.stream().map(m -> (double) m.chain().phases()).toList()),
                    Stats.median(eager.stream().map(m -> m.chain().nominalMs()).toList()),
                    Stats.median(eager.stream().map(m -> m.chain().overrunMs()).toList()),
                    Stats.median(eager.stream().map(m -> (double) m.chain().gapMs()).toList()),
                    Stats.median(eager.stream().map(m -> (double) m.chain().leadMs()).toList()),
                    Stats.median(eager.stream().map(m -> m.chain().overheadPerPhaseMs()).toList()),
                    Stats.median(eager.stream().map(Measure::meanOverrunMs).toList()),
                    Stats.median(eager.stream().map(m -> m.split().deliveryMs()).toList()),
                    Stats.median(eager.stream().map(m -> m.split().workerMs()).toList()),
                    Stats.median(eager.stream().map(m -> m.split().reportMs()).toList()),
                    row.eagerMs() - row.offlineEagerMs());
        }
        System.exit(0);
    }

    private static String key(String roadmap, int slots, Schedule mode) {
        return roadmap + "|" + slots + "|" + mode;
    }

    private static void startWorkers(BenchCluster cluster, boolean oneWorker, int slots, double timeScale) {
        if (oneWorker) {
            cluster.startWorkers(1, slots, timeScale);
        } else {
            cluster.startWorkers(slots, 1, timeScale);
        }
    }

    /** The corpus roadmaps by file name, with their offline simulations at every slot count. */
    static List<Roadmap> load(Args a) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(a.corpus)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
        List<Roadmap> out = new ArrayList<>();
        for (Path file : files) {
            String name = displayName(file.getFileName().toString());
            if (!a.only.isEmpty() && a.only.stream().noneMatch(name::contains)) {
                continue;
            }
            Analysis analysis = RoadmapAnalyzer.analyze(RoadmapLoader.load(file), AnalysisOptions.defaults());
            ScheduleSimulator simulator = new ScheduleSimulator(new DurationModel(1_000));
            Map<Integer, Simulation> offline = new LinkedHashMap<>();
            for (int n : a.slots) {
                offline.put(n, simulator.simulate(analysis, List.of(), n));
            }
            int phases = (int) analysis.phases().stream().filter(p -> p.wave() > 0).count();
            out.add(new Roadmap(name, Files.readAllBytes(file), offline, phases));
        }
        return out;
    }

    /** {@code hex-di__hex-di__ROADMAP.md} -> {@code hex-di__hex-di}; {@code X__ROADMAP__early.md} -> {@code X__early}. */
    static String displayName(String fileName) {
        String base = fileName.endsWith(".md") ? fileName.substring(0, fileName.length() - 3) : fileName;
        return base.replace("__ROADMAP", "");
    }

    /** Submits the roadmap, waits for it, checks it and measures it; the run is removed afterwards. */
    static Measure measure(BenchCluster cluster, Roadmap r, int slots, Schedule mode, double timeScale,
            long timeoutMs) {
        SubmitRunRequest request = SubmitRunRequest.newBuilder()
                .setName("makespan-" + r.name() + "-" + slots)
                .setBundle(PlanningBundle.newBuilder().addFiles(BundleFile.newBuilder()
                        .setPath(".planning/ROADMAP.md").setContent(ByteString.copyFrom(r.markdown()))))
                .setOptions(RunOptions.newBuilder()
                        .setMaxParallel(slots)
                        .setSchedule(mode)
                        .setIncludeComplete(true))
                .build();
        long t0 = System.nanoTime();
        String runId = cluster.submit(request);
        awaitFinished(cluster, runId, timeoutMs);
        double seenMs = (System.nanoTime() - t0) / 1e6;
        Run run = cluster.get(runId);
        cluster.remove(runId);
        if (run.getState() != RunState.RUN_SUCCEEDED) {
            throw new IllegalStateException(r.name() + ": run ended " + run.getState());
        }
        List<PhaseTiming> phases = new ArrayList<>();
        Map<String, long[]> workerTimes = new java.util.HashMap<>();
        Map<String, CountingLink.LeaseTimes> recorded = cluster.counters().leaseTimes;
        for (RunPhase p : run.getPhasesList()) {
            CountingLink.LeaseTimes t = recorded == null ? null
                    : recorded.remove(CountingLink.leaseKey(runId, p.getKey()));
            if (t != null) {
                workerTimes.put(p.getKey(), new long[] {t.receivedAtMs, t.completeSentAtMs});
            }
            if (p.getState() != PhaseState.PHASE_SUCCEEDED || p.getAttempts() != 1) {
                throw new IllegalStateException(r.name() + ": phase " + p.getKey() + " " + p.getState()
                        + " after " + p.getAttempts() + " attempts");
            }
            phases.add(new PhaseTiming(p.getKey(), p.getEstimatedTokens(), p.getDependsOnList(),
                    p.getStartedAtMs(), p.getFinishedAtMs()));
        }
        if (phases.size() != r.phases()) {
            throw new IllegalStateException(r.name() + ": the run has " + phases.size()
                    + " phases, the offline simulation " + r.phases());
        }
        return new Measure(run.getFinishedAtMs() - run.getStartedAtMs(), seenMs, run.getMaxParallelism(),
                MakespanMath.lowerBound(phases, slots), MakespanMath.chain(phases, run.getStartedAtMs(), timeScale),
                MakespanMath.meanOverrunMs(phases, timeScale),
                MakespanMath.overrunSplit(phases, workerTimes, timeScale));
    }

    /** Polls the run's summary every 20 ms (the makespan comes from the run record, not from this loop). */
    private static void awaitFinished(BenchCluster cluster, String runId, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            RunSummary s = cluster.store().view(runId, false);
            if (s != null && s.state().isFinished()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " not finished after " + timeoutMs + " ms: "
                        + (s == null ? "missing" : s.state()));
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    /** The results as a Markdown table, one row per roadmap and slot count, times in seconds. */
    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| roadmap | slots | phases | eager (s) | waves (s) | lower bound (s) | eager / LB | waves / LB"
                + " | offline eager / LB | eager / offline eager | waves / offline waves |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT,
                    "| %s | %d | %d | %.2f | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                    r.roadmap(), r.slots(), r.phases(), r.eagerMs() / 1000, r.wavesMs() / 1000,
                    r.lowerBoundMs() / 1000, r.eagerRatio(), r.wavesRatio(), r.offlineEagerRatio(),
                    r.eagerOverOffline(), r.wavesOverOffline()));
        }
        return sb.toString();
    }

    /** Median and max of eager / LB (and the rest) per slot count and over all rows; count within 1.05. */
    static String summary(List<Row> rows, List<Integer> slots) {
        StringBuilder sb = new StringBuilder();
        List<Integer> groups = new ArrayList<>(slots);
        groups.add(0);
        for (int n : groups) {
            List<Row> g = rows.stream().filter(r -> n == 0 || r.slots() == n).toList();
            if (g.isEmpty()) {
                continue;
            }
            long within = g.stream().filter(r -> r.eagerRatio() <= 1.05).count();
            sb.append(String.format(Locale.ROOT,
                    "%s: eager / LB median %.3f max %.3f (%d of %d <= 1.05); waves / LB median %.3f max %.3f;"
                            + " eager / offline eager median %.3f max %.3f%n",
                    n == 0 ? "all" : n + " slots",
                    Stats.median(g.stream().map(Row::eagerRatio).toList()),
                    g.stream().mapToDouble(Row::eagerRatio).max().orElse(Double.NaN), within, g.size(),
                    Stats.median(g.stream().map(Row::wavesRatio).toList()),
                    g.stream().mapToDouble(Row::wavesRatio).max().orElse(Double.NaN),
                    Stats.median(g.stream().map(Row::eagerOverOffline).toList()),
                    g.stream().mapToDouble(Row::eagerOverOffline).max().orElse(Double.NaN)));
        }
        return sb.toString();
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
