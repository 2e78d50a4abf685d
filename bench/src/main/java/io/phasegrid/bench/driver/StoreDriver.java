package io.phasegrid.bench.driver;

import io.phasegrid.bench.gen.Shape;
import com.hazelcast.config.MapStoreConfig;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.node.CoordinatorNode;
import io.phasegrid.coordinator.store.RunRecordMapStore;
import io.phasegrid.coordinator.store.StoreSettings;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The durable store's numbers (issue 12, section 3). (1) Throughput: the ThroughputDriver's cluster measurement on
 * an in-memory cluster and on one whose durable maps are in {@code --store}, side by side, the order alternating
 * between repeats. (2) Recovery: a run of {@code --recovery-phases} independent phases is submitted to a stored
 * cluster, every member stops, and a fresh member is started on the same database: the time from its start to the
 * first lease of the recovered run.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.phasegrid.bench.driver.StoreDriver --store
 * jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres [--shape wide|deep|both] [--phases 2000] [--repeats 3]
 * [--recovery-phases 10000]}.
 */
public final class StoreDriver {

    private StoreDriver() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("--shape", "both", "--phases", "2000", "--repeats", "3",
                "--recovery-phases", "10000", "--workers", "4", "--slots", "32"));
        DriverMain.options(argv, (name, value) -> {
            if (!a.containsKey(name) && !name.equals("--store")) {
                throw new IllegalArgumentException("unknown option " + name);
            }
            a.put(name, value);
        });
        StoreSettings store = StoreSettings.of(a.getOrDefault("--store", ""));
        System.out.println(DriverMain.machine());
        List<Shape> shapes = a.get("--shape").equals("both") ? List.of(Shape.WIDE, Shape.DEEP)
                : List.of(Shape.valueOf(a.get("--shape").toUpperCase(Locale.ROOT)));
        int phases = Integer.parseInt(a.get("--phases"));
        int repeats = Integer.parseInt(a.get("--repeats"));
        throughput(store, shapes, phases, repeats, Integer.parseInt(a.get("--workers")),
                Integer.parseInt(a.get("--slots")));
        recovery(store, Integer.parseInt(a.get("--recovery-phases")));
    }

    private static void throughput(StoreSettings store, List<Shape> shapes, int phases, int repeats, int workers,
            int slots) throws Exception {
        try (BenchCluster memory = BenchCluster.start(false);
                BenchCluster stored = BenchCluster.start(false, Optional.of(store))) {
            memory.startWorkers(workers, slots, 0, false);
            stored.startWorkers(workers, slots, 0, false);
            for (Shape shape : shapes) {
                List<Double> m = new ArrayList<>();
                List<Double> d = new ArrayList<>();
                for (int r = -1; r < repeats; r++) {
                    boolean memoryFirst = r % 2 == 0;
                    for (BenchCluster on : memoryFirst ? List.of(memory, stored) : List.of(stored, memory)) {
                        long[] before = written(on);
                        ClusterResult c = on.runCluster(Dag.of(shape, phases), 1_000, ThroughputDriver.RUN_TIMEOUT_MS);
                        long[] after = written(on);
                        if (c.succeeded() != c.phases()) {
                            throw new IllegalStateException("only " + c.succeeded() + " of " + c.phases());
                        }
                        if (r >= 0) {
                            (on == memory ? m : d).add(c.phasesPerSecond());
                        }
                        System.out.printf(Locale.ROOT, "  %s %s %s: %.0f phases/s, %.0f us CPU/phase;"
                                + " per 100 phases: processor calls %s, entry writes %s%n",
                                shape.cliName(), on == memory ? "memory" : "stored", r < 0 ? "warm-up" : "#" + r,
                                c.phasesPerSecond(), c.cpuMicrosPerPhase(), per100(c.mapOps().entryProcessors(),
                                        phases), per100(c.mapOps().writes(), phases));
                        long stores = c.mapOps().writes().getOrDefault(MapNames.RUNS, 0L);
                        if (on == stored && stores > 0) {
                            System.out.printf(Locale.ROOT, "    run stores: %.1f parts, %.1f KB each%n",
                                    (double) (after[0] - before[0]) / stores, (after[1] - before[1]) / 1024.0 / stores);
                        }
                    }
                }
                double mm = Stats.median(m);
                double dm = Stats.median(d);
                System.out.printf(Locale.ROOT, "%s, %d phases: in memory %.0f phases/s, stored (%s) %.0f phases/s:"
                        + " %.1f %% of in memory (medians of %d)%n", shape.cliName(), phases, mm,
                        store.dialect(), dm, 100 * dm / mm, repeats);
            }
        }
    }

    /** Parts and bytes the runs map's store wrote so far; zeros for an in-memory cluster. */
    private static long[] written(BenchCluster cluster) {
        MapStoreConfig config = cluster.node().hazelcast().getConfig().getMapConfig(MapNames.RUNS)
                .getMapStoreConfig();
        if (config.isEnabled() && config.getImplementation() instanceof RunRecordMapStore runs) {
            return new long[] {runs.partsWritten(), runs.bytesWritten()};
        }
        return new long[2];
    }

    /** The non-zero counts as a share of 100 phases, map name without the "phasegrid." prefix. */
    private static Map<String, Long> per100(Map<String, Long> counts, int phases) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((map, n) -> {
            if (n > 0) {
                out.put(map.replace("phasegrid.", ""), Math.round(100.0 * n / phases));
            }
        });
        return out;
    }

    private static void recovery(StoreSettings store, int phases) throws Exception {
        String name = "phasegrid-recovery-" + UUID.randomUUID();
        StructuredRoadmap.Builder roadmap = StructuredRoadmap.newBuilder();
        for (int i = 0; i < phases; i++) {
            roadmap.addPhases(StructuredPhase.newBuilder().setKey("p" + i).setName("Phase " + i));
        }
        try (CoordinatorNode first = node(name, store); Channel c = new Channel(first)) {
            RunServiceGrpc.newBlockingStub(c.channel).submit(SubmitRunRequest.newBuilder().setStructured(roadmap)
                    .setOptions(RunOptions.newBuilder().setNoInfer(true)).build());
        }
        long start = System.nanoTime();
        try (CoordinatorNode fresh = node(name, store); Channel c = new Channel(fresh)) {
            long started = System.nanoTime();
            WorkerServiceGrpc.WorkerServiceBlockingStub workers = WorkerServiceGrpc.newBlockingStub(c.channel);
            String worker = workers.register(RegisterWorkerRequest.newBuilder().setName("recovery").setSlots(1)
                    .build()).getWorkerId();
            List<Lease> leases = List.of();
            while (leases.isEmpty()) {
                leases = workers.pollLease(PollLeaseRequest.newBuilder().setWorkerId(worker).setFreeSlots(1)
                        .setWaitMs(5_000).build()).getLeasesList();
            }
            long leased = System.nanoTime();
            System.out.printf(Locale.ROOT, "recovery of a %d-phase run from %s: member start (load included) %.0f ms,"
                    + " then first lease %.0f ms: %.0f ms from start to first lease%n", phases, store.dialect(),
                    (started - start) / 1e6, (leased - started) / 1e6, (leased - start) / 1e6);
        }
    }

    private static CoordinatorNode node(String name, StoreSettings store) throws Exception {
        return CoordinatorNode.start(CoordinatorNode.Options.loopback(ClusterSettings.builder().clusterName(name)
                .build(), 0).withStore(Optional.of(store)));
    }

    private static final class Channel implements AutoCloseable {
        final ManagedChannel channel;

        Channel(CoordinatorNode node) {
            channel = NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort()).usePlaintext()
                    .maxInboundMessageSize(256 << 20).build();
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
