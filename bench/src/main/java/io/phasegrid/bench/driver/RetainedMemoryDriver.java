package io.phasegrid.bench.driver;

import com.google.protobuf.ByteString;
import com.hazelcast.map.LocalMapStats;
import io.phasegrid.bench.gen.GeneratorOptions;
import io.phasegrid.bench.gen.RoadmapGenerator;
import io.phasegrid.bench.gen.Shape;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.run.store.RunSummary;
import io.phasegrid.proto.v1.BundleFile;
import io.phasegrid.proto.v1.PlanningBundle;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.SubmitRunRequest;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;

/**
 * Heap kept by finished runs (issue 9, memory): starts the embedded cluster ({@link BenchCluster}: one coordinator
 * member, simulate workers at time scale 0), measures the heap after GC, submits {@code --runs} large
 * {@code .planning} bundles over gRPC one after the other (a synthetic roadmap of {@code --phases} phases, each with
 * {@code --plans} PLAN files of {@code --plan-kib} KiB: 100 x 3 x 96 KiB = 28.2 MiB by default), runs each to
 * SUCCEEDED, reads each run's status once (as {@code phasegrid status} does), waits {@code --settle-ms} for the
 * member's background passes, then measures the heap after GC again and prints the difference per run, the map
 * statistics of {@code phasegrid.runmeta} and {@code phasegrid.runs}, and the top of a class histogram.
 *
 * <p>Usage: {@code java -Xmx2g -cp bench/target/benchmarks.jar io.phasegrid.bench.driver.RetainedMemoryDriver
 * [--runs 10] [--phases 100] [--plans 3] [--plan-kib 96] [--workers 2] [--slots 8] [--settle-ms 3000]}.
 */
public final class RetainedMemoryDriver {

    static final class Args {
        int runs = 10;
        int phases = 100;
        int plans = 3;
        int planKib = 96;
        int workers = 2;
        int slots = 8;
        long settleMs = 3_000;

        static Args parse(String[] argv) {
            Args a = new Args();
            for (int i = 0; i < argv.length; i++) {
                String value = i + 1 < argv.length ? argv[i + 1] : null;
                switch (argv[i]) {
                    case "--runs" -> a.runs = Integer.parseInt(value);
                    case "--phases" -> a.phases = Integer.parseInt(value);
                    case "--plans" -> a.plans = Integer.parseInt(value);
                    case "--plan-kib" -> a.planKib = Integer.parseInt(value);
                    case "--workers" -> a.workers = Integer.parseInt(value);
                    case "--slots" -> a.slots = Integer.parseInt(value);
                    case "--settle-ms" -> a.settleMs = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + argv[i]);
                }
                i++;
            }
            return a;
        }
    }

    private RetainedMemoryDriver() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        SubmitRunRequest request = largeBundle(args);
        long bundleBytes = 0;
        for (BundleFile f : request.getBundle().getFilesList()) {
            bundleBytes += f.getContent().size();
        }
        System.out.printf(Locale.ROOT, "bundle: %d files, %.1f MiB; %d runs; max heap %d MiB%n",
                request.getBundle().getFilesCount(), bundleBytes / 1048576.0, args.runs,
                Runtime.getRuntime().maxMemory() >> 20);
        try (BenchCluster cluster = BenchCluster.start()) {
            cluster.startWorkers(args.workers, args.slots, 0);
            // one small run first, so classes, pools and threads are in the baseline
            finish(cluster, largeBundle(withSize(args, 2, 1, 1)), "warm-up");
            long baseline = heapAfterGc();
            System.out.printf(Locale.ROOT, "heap after GC before the runs: %.1f MiB%n", baseline / 1048576.0);
            List<String> runIds = new ArrayList<>();
            for (int r = 1; r <= args.runs; r++) {
                runIds.add(finish(cluster, request.toBuilder().setName("large-" + r).build(), "run " + r));
            }
            for (String runId : runIds) {
                cluster.get(runId); // a status read, as a user would make
            }
            Thread.sleep(args.settleMs);
            long after = heapAfterGc();
            double perRun = (after - baseline) / (double) args.runs / 1048576.0;
            System.out.printf(Locale.ROOT, "heap after GC with %d finished runs: %.1f MiB (+%.1f MiB, %.2f MiB per"
                    + " run, %.2f x the bundle)%n", args.runs, after / 1048576.0, (after - baseline) / 1048576.0,
                    perRun, perRun * 1048576.0 / bundleBytes);
            printMapStats(cluster, MapNames.RUN_META);
            printMapStats(cluster, MapNames.RUNS);
            System.out.println(histogramTop(12));
        }
        System.exit(0);
    }

    private static String finish(BenchCluster cluster, SubmitRunRequest request, String label) {
        long t0 = System.nanoTime();
        String runId = cluster.submit(request);
        AtomicReference<RunSummary> last = new AtomicReference<>();
        cluster.awaitFinished(runId, 600_000, last);
        System.out.printf(Locale.ROOT, "%s: %s %s in %.1f s%n", label, runId, last.get().state(),
                (System.nanoTime() - t0) / 1e9);
        return runId;
    }

    private static Args withSize(Args a, int phases, int plans, int planKib) {
        Args b = new Args();
        b.phases = phases;
        b.plans = plans;
        b.planKib = planKib;
        return b;
    }

    /** A synthetic roadmap (deep shape: a chain) with {@code plans} PLAN files of {@code planKib} KiB per phase. */
    static SubmitRunRequest largeBundle(Args a) {
        GeneratorOptions options = GeneratorOptions.defaultsFor(Shape.DEEP).withPhases(a.phases);
        PlanningBundle.Builder bundle = PlanningBundle.newBuilder().addFiles(BundleFile.newBuilder()
                .setPath(".planning/ROADMAP.md")
                .setContent(ByteString.copyFromUtf8(new RoadmapGenerator(options).generate())));
        for (int phase = 1; phase <= a.phases; phase++) {
            String id = String.format(Locale.ROOT, "%02d", phase);
            for (int plan = 1; plan <= a.plans; plan++) {
                String planId = id + "-" + String.format(Locale.ROOT, "%02d", plan);
                bundle.addFiles(BundleFile.newBuilder()
                        .setPath(".planning/phases/" + id + "-phase/" + planId + "-PLAN.md")
                        .setContent(ByteString.copyFrom(planText(planId, plan, a.planKib))));
            }
        }
        return SubmitRunRequest.newBuilder()
                .setBundle(bundle)
                .setOptions(RunOptions.newBuilder().setMaxParallel(a.slots).setNoInfer(true))
                .build();
    }

    private static byte[] planText(String planId, int plan, int kib) {
        StringBuilder text = new StringBuilder(kib * 1024 + 256);
        text.append("---\nphase: ").append(planId, 0, planId.indexOf('-')).append("\nplan: ").append(plan)
                .append("\nwave: ").append(plan).append("\ndepends_on: []\nfiles_modified: [src/")
                .append(planId).append(".txt]\nautonomous: true\n---\n\n# Plan ").append(planId).append('\n');
        int line = 0;
        while (text.length() < kib * 1024) {
            text.append("- step ").append(line++).append(" of plan ").append(planId)
                    .append(": write the code, run the tests, commit the result\n");
        }
        text.setLength(kib * 1024);
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void printMapStats(BenchCluster cluster, String map) {
        LocalMapStats stats = cluster.node().hazelcast().getMap(map).getLocalMapStats();
        System.out.printf(Locale.ROOT, "%s: %d entries, owned entry cost %.1f MiB, backup entry cost %.1f MiB%n",
                map, stats.getOwnedEntryCount(), stats.getOwnedEntryMemoryCost() / 1048576.0,
                stats.getBackupEntryMemoryCost() / 1048576.0);
    }

    /** The first {@code lines} classes of the JVM's class histogram (what {@code jcmd PID GC.class_histogram} shows). */
    static String histogramTop(int lines) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        String[] all = histogram.split("\n");
        StringBuilder out = new StringBuilder("class histogram (top ").append(lines).append("):\n");
        for (int i = 0; i < Math.min(all.length, lines + 2); i++) {
            out.append(all[i]).append('\n');
        }
        return out.toString();
    }
}
