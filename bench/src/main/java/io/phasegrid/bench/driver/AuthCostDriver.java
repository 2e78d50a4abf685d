package io.phasegrid.bench.driver;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.phasegrid.coordinator.auth.ServerSecurity;
import io.phasegrid.coordinator.auth.TokenSecrets;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.node.CoordinatorNode;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.worker.security.ClientSecurity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The cost of authentication per call (issue 12, section 3): one coordinator node on loopback Netty without
 * authentication and one with it (a bearer token checked by the interceptor, its lookup cached), the same unary
 * call ({@code GetLedger}, one map read) made sequentially on each, in alternating rounds so both see the same
 * machine. Prints the median and p99 latency of each and their difference.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.phasegrid.bench.driver.AuthCostDriver [--calls 20000]
 * [--rounds 5]}.
 */
public final class AuthCostDriver {

    private AuthCostDriver() {
    }

    public static void main(String[] argv) throws Exception {
        int[] calls = {20_000};
        int[] rounds = {5};
        DriverMain.options(argv, (name, value) -> {
            switch (name) {
                case "--calls" -> calls[0] = Integer.parseInt(value);
                case "--rounds" -> rounds[0] = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        });
        System.out.println(DriverMain.machine());
        String token = TokenSecrets.generate();
        try (Target off = Target.start(ServerSecurity.NONE, ClientSecurity.NONE);
                Target on = Target.start(ServerSecurity.local(token), ClientSecurity.token(token))) {
            off.measure(calls[0] / 4);
            on.measure(calls[0] / 4); // warm-up
            List<Double> offMedians = new ArrayList<>();
            List<Double> onMedians = new ArrayList<>();
            List<Double> offP99 = new ArrayList<>();
            List<Double> onP99 = new ArrayList<>();
            for (int r = 0; r < rounds[0]; r++) {
                long[] a = off.measure(calls[0]);
                long[] b = on.measure(calls[0]);
                offMedians.add(a[a.length / 2] / 1000.0);
                onMedians.add(b[b.length / 2] / 1000.0);
                offP99.add(Stats.percentile(a, 99) / 1000.0);
                onP99.add(Stats.percentile(b, 99) / 1000.0);
                System.out.printf(Locale.ROOT, "round %d: off median %.1f us p99 %.1f us | on median %.1f us"
                        + " p99 %.1f us%n", r + 1, offMedians.get(r), offP99.get(r), onMedians.get(r), onP99.get(r));
            }
            double off50 = Stats.median(offMedians);
            double on50 = Stats.median(onMedians);
            System.out.printf(Locale.ROOT, "GetLedger, %d sequential calls x %d rounds: authentication off %.1f us,"
                    + " on %.1f us (median of round medians): +%.1f us per call (x%.3f); p99 off %.1f us, on %.1f us%n",
                    calls[0], rounds[0], off50, on50, on50 - off50, on50 / off50, Stats.median(offP99),
                    Stats.median(onP99));
        }
    }

    /** One coordinator node and a channel to it. */
    private record Target(CoordinatorNode node, ManagedChannel channel) implements AutoCloseable {

        static Target start(ServerSecurity security, ClientSecurity client) throws Exception {
            ClusterSettings cluster = ClusterSettings.builder().clusterName("auth-bench-" + UUID.randomUUID())
                    .build();
            CoordinatorNode node = CoordinatorNode.start(CoordinatorNode.Options.loopback(cluster, 0)
                    .withSecurity(security));
            ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + node.grpcPort(), client.credentials())
                    .build();
            return new Target(node, channel);
        }

        /** Nanoseconds of each of {@code n} sequential calls, sorted. */
        long[] measure(int n) {
            LedgerServiceGrpc.LedgerServiceBlockingStub stub = LedgerServiceGrpc.newBlockingStub(channel);
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                stub.getLedger(GetLedgerRequest.getDefaultInstance());
                nanos[i] = System.nanoTime() - t;
            }
            Arrays.sort(nanos);
            return nanos;
        }

        @Override
        public void close() throws Exception {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            node.close();
        }
    }
}
