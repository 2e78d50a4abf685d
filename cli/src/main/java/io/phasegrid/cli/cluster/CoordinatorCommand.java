package io.phasegrid.cli.cluster;

import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.coordinator.auth.ServerSecurity;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.hazelcast.MemberAddressPolicy;
import io.phasegrid.coordinator.node.CoordinatorNode;
import io.phasegrid.coordinator.quota.QuotaLimits;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.metrics.MetricsServer;
import io.phasegrid.metrics.PrometheusMetrics;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code phasegrid coordinator}: a coordinator process (Hazelcast member + gRPC server) until SIGTERM. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = {"Run a coordinator: an embedded Hazelcast member holding the cluster state, and the gRPC",
            "services workers and clients call. Start several with --member to form one cluster."})
public final class CoordinatorCommand extends ProcessCommand {

    @Option(names = "--port", paramLabel = "P", defaultValue = "7400", description = "gRPC port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Interface for gRPC and Hazelcast (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--hazelcast-port", paramLabel = "H", defaultValue = "5701",
            description = "First Hazelcast port tried (default ${DEFAULT-VALUE}; the next ones if taken).")
    int hazelcastPort;

    @Option(names = "--member", paramLabel = "HOST:PORT", description = "Another coordinator's Hazelcast address (repeatable).")
    List<String> members = List.of();

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = ClusterSettings.DEFAULT_CLUSTER_NAME,
            description = "Members with the same name form one cluster (default ${DEFAULT-VALUE}).")
    String clusterName;

    @Option(names = "--run-retention", paramLabel = "PERIOD", defaultValue = "7d", converter = RetentionConverter.class,
            description = "Delete a finished run, its checkpoints and its idempotency key this long after it ended"
                    + " (30m, 12h, 7d; 0 = keep forever; default ${DEFAULT-VALUE}).")
    java.time.Duration runRetention;

    @Option(names = "--max-retained-bytes", paramLabel = "SIZE", defaultValue = "25%",
            converter = RetainedBytesConverter.class,
            description = "Cap on the PLAN contents the cluster's runs hold (a finished run releases them; a failed"
                    + " one keeps those a retry needs); a submission that would pass it is refused with"
                    + " RESOURCE_EXHAUSTED. A percentage of this member's heap or a size (512m, 2g; default"
                    + " ${DEFAULT-VALUE}).")
    long maxRetainedBytes;

    @Option(names = "--max-runs-per-principal", paramLabel = "N",
            defaultValue = "" + QuotaLimits.DEFAULT_MAX_RUNS_IN_FLIGHT,
            description = "Runs one principal (token) may have in flight at once; its next Submit is refused with"
                    + " RESOURCE_EXHAUSTED until one finishes (default ${DEFAULT-VALUE}).")
    int maxRunsPerPrincipal;

    @Option(names = "--max-retained-bytes-per-principal", paramLabel = "SIZE",
            converter = RetainedBytesConverter.class,
            description = "PLAN contents the runs in flight of one principal may hold together (a percentage of"
                    + " this member's heap or a size; default none: only --max-retained-bytes applies; set it on a shared cluster).")
    Long maxRetainedBytesPerPrincipal;

    @Option(names = "--allow-public-member",
            description = "Let the Hazelcast member listen on a public address (members talk without TLS: only"
                    + " behind a firewall or NetworkPolicy).")
    boolean allowPublicMember;

    @Mixin
    LeaseTimingOptions leases;

    @Mixin
    ServerSecurityOptions security;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() throws Exception {
        logs.use();
        ServerSecurity serverSecurity = security.security();
        try {
            MemberAddressPolicy.check(host, allowPublicMember);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        ClusterSettings cluster = ClusterSettings.builder()
                .clusterName(clusterName)
                .bindAddress(host)
                .port(hazelcastPort)
                .members(members)
                .build();
        PrometheusMetrics registry = metrics.enabled() ? PrometheusMetrics.create() : null;
        // the endpoint is bound before the member joins, so a taken port fails without a join and a leave
        java.util.concurrent.atomic.AtomicReference<CoordinatorNode> started =
                new java.util.concurrent.atomic.AtomicReference<>();
        MetricsServer endpoint = null;
        if (registry != null) {
            try {
                endpoint = metrics.start(registry.registry(), () -> started.get() != null && started.get().ready());
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
        }
        CoordinatorNode node;
        try {
            node = CoordinatorNode.start(new CoordinatorNode.Options(cluster, host, port,
                    leases.timings(), leases.sweepInterval(),
                    limits(), runRetention,
                    serverSecurity, store.settings(Optional.empty())),
                    registry == null ? null : registry.registry());
        } catch (IOException | RuntimeException e) {
            if (endpoint != null) {
                endpoint.close();
                registry.close();
            }
            throw e;
        }
        started.set(node);
        if (endpoint != null) {
            endpoint.beforeScrape(node.metrics()::refreshGauges);
        }
        MetricsServer server = endpoint;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (server != null) {
                    server.close();
                    registry.close();
                }
                stopped.countDown();
            }
        }, "phasegrid-coordinator-shutdown"));
        err().printf("coordinator listening on %s:%d (%s, cluster %s, hazelcast %s)%n", host,
                node.grpcPort(), serverSecurity.tlsCert().isPresent() ? "TLS" : "plaintext", clusterName, node.hazelcast().getCluster().getLocalMember().getAddress());
        if (server != null) {
            err().printf("coordinator metrics at %s%n", server.uri("/metrics"));
        }
        err().flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private SubmissionLimits limits() {
        SubmissionLimits limits = SubmissionLimits.defaults().withMaxRetainedBytes(maxRetainedBytes);
        long perPrincipal = maxRetainedBytesPerPrincipal != null ? maxRetainedBytesPerPrincipal
                : limits.quotas().maxRetainedBytes();
        return limits.withQuotas(new QuotaLimits(maxRunsPerPrincipal, perPrincipal));
    }
}
