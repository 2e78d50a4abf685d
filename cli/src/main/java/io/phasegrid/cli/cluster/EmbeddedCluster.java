package io.phasegrid.cli.cluster;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.phasegrid.coordinator.auth.ServerSecurity;
import io.phasegrid.coordinator.auth.TokenSecrets;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.lease.LeaseTimings;
import io.phasegrid.coordinator.node.CoordinatorNode;
import io.phasegrid.coordinator.store.StoreSettings;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.metrics.MetricsServer;
import io.phasegrid.metrics.PrometheusMetrics;
import io.phasegrid.worker.agent.StreamCoordinatorLink;
import io.phasegrid.worker.agent.WorkerAgent;
import io.phasegrid.worker.agent.WorkerOptions;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.git.GitOptions;
import io.phasegrid.worker.metrics.WorkerMetrics;
import io.phasegrid.worker.security.ClientSecurity;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The embedded default of {@code phasegrid run}: one coordinator node (one Hazelcast member, its state in
 * {@code store} when given) and N local workers talking real gRPC over loopback, authenticated with a token only
 * this process knows, and one metrics endpoint for all of them when asked.
 */
final class EmbeddedCluster implements AutoCloseable {

    /** What to start. */
    record Spec(int workers, int slots, LeaseTimings timings, Duration sweepInterval, Optional<StoreSettings> store,
            Supplier<PhaseExecutor> executor, MetricsOptions metrics, GitOptions git) {
    }

    private final PrometheusMetrics registry;
    private final CoordinatorNode node;
    private final MetricsServer endpoint;
    private final ManagedChannel channel;
    private final List<WorkerAgent> agents = new ArrayList<>();

    private EmbeddedCluster(PrometheusMetrics registry, CoordinatorNode node, MetricsServer endpoint,
            ManagedChannel channel) {
        this.registry = registry;
        this.node = node;
        this.endpoint = endpoint;
        this.channel = channel;
    }

    static EmbeddedCluster start(Spec spec, PrintWriter err) throws Exception {
        ClusterSettings cluster = ClusterSettings.builder().clusterName("phasegrid-run-" + UUID.randomUUID()).build();
        String localToken = TokenSecrets.generate();
        ClientSecurity client = ClientSecurity.token(localToken);
        PrometheusMetrics registry = spec.metrics().enabled() ? PrometheusMetrics.create() : null;
        CoordinatorNode node = null;
        MetricsServer endpoint = null;
        try {
            node = CoordinatorNode.start(new CoordinatorNode.Options(cluster, "127.0.0.1", 0, spec.timings(),
                    spec.sweepInterval(), SubmissionLimits.defaults())
                    .withSecurity(ServerSecurity.local(localToken)).withStore(spec.store()),
                    registry == null ? null : registry.registry());
            WorkerMetrics workerMetrics = WorkerMetrics.disabled();
            if (registry != null) {
                CoordinatorNode started = node;
                endpoint = spec.metrics().start(registry.registry(), started::ready);
                endpoint.beforeScrape(node.metrics()::refreshGauges);
                workerMetrics = new WorkerMetrics(registry.registry());
                err.printf("metrics at %s%n", endpoint.uri("/metrics"));
            }
            String address = "127.0.0.1:" + node.grpcPort();
            ManagedChannel channel = Grpc.newChannelBuilder(address, client.credentials())
                    .maxInboundMessageSize(64 << 20).build();
            EmbeddedCluster embedded = new EmbeddedCluster(registry, node, endpoint, channel);
            for (int i = 1; i <= spec.workers(); i++) {
                WorkerOptions worker = WorkerOptions.builder()
                        .name("local-" + i)
                        .slots(spec.slots())
                        .coordinators(List.of(address))
                        .pollWait(Duration.ofSeconds(5))
                        .drainGrace(Duration.ofSeconds(5))
                        .metrics(workerMetrics)
                        .git(spec.git())
                        .build();
                embedded.agents.add(new WorkerAgent(worker, spec.executor().get(),
                        StreamCoordinatorLink.factory(worker.rpcTimeout(), client)).start());
            }
            return embedded;
        } catch (Exception | Error e) {
            if (endpoint != null) {
                endpoint.close();
            }
            if (node != null) {
                node.close();
            }
            if (registry != null) {
                registry.close();
            }
            throw e;
        }
    }

    /** A channel to the coordinator, authenticated as its admin. */
    ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            agents.forEach(a -> a.drain(Duration.ZERO));
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } finally {
            try {
                if (endpoint != null) {
                    endpoint.close();
                }
                node.close();
            } finally {
                if (registry != null) {
                    registry.close();
                }
            }
        }
    }
}
