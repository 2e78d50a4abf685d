package io.phasegrid.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.phasegrid.common.metrics.MetricNames.Reason;
import io.phasegrid.metrics.MetricsServer;
import io.phasegrid.metrics.PrometheusMetrics;
import io.phasegrid.common.testing.DeployFiles;
import io.phasegrid.common.testing.RealPrometheus;
import io.phasegrid.coordinator.ledger.LedgerSnapshot;
import io.phasegrid.coordinator.testing.TestMembers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a coordinator's metrics endpoint; every coordinator query of the dashboard returns data
 * and every alert expression is valid with each metric it selects present. Queries of worker processes are checked by
 * the worker module's twin of this test. Skipped without the {@code prometheus} binary.
 */
// alone: a Prometheus process beside timing-sensitive lease tests (200 ms TTLs) made those flaky
@Isolated
class CoordinatorMetricsPrometheusTest {

    private static final String JOB = "phasegrid-coordinator";

    @TempDir
    Path temp;

    private final HazelcastInstance member = TestMembers.start(TestMembers.privateCluster("metrics-prometheus"));
    private final PrometheusMetrics metrics = PrometheusMetrics.create();

    @AfterEach
    void stop() {
        metrics.close();
        member.getLifecycleService().terminate();
    }

    @Test
    void everyCoordinatorQueryOfTheDashboardAndTheAlertsWorksAgainstARealPrometheus() throws Exception {
        CoordinatorMetrics coordinator = new CoordinatorMetrics(metrics.registry());
        new HazelcastMemberMetrics(member).bindTo(metrics.registry());
        CoordinatorMetricsTest.FixedCluster cluster = new CoordinatorMetricsTest.FixedCluster();
        cluster.runs = new ClusterGauges.RunTotals(2, Map.of("RUNNING", 1, "QUEUED", 1), 3, 45_000);
        cluster.tokens = new LedgerSnapshot(1_000_000, 20_000, 500_000, 2);
        cluster.workers.put("alpha", new ClusterGauges.Slots(2, 2));
        cluster.workers.put("beta", new ClusterGauges.Slots(4, 0));
        coordinator.bindGauges(cluster);
        recordARunWithAFailureAndALostWorker(coordinator);
        callGrpcOnce();

        try (MetricsServer server = MetricsServer.builder(metrics.registry())
                .beforeScrape(coordinator::refreshGauges).start();
                RealPrometheus prometheus = RealPrometheus.start(temp, Map.of(JOB, "127.0.0.1:" + server.port()))) {
            // rate() over 1m needs two samples
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    prometheus.resultCount("count_over_time(up{job=\"" + JOB + "\"}[1m]) >= 3") == 1);

            for (String expression : DeployFiles.dashboardExpressions()) {
                if (!aboutWorkerProcesses(expression)) {
                    assertThat(prometheus.resultCount(DeployFiles.runnable(expression)))
                            .as("dashboard query %s returns data", expression).isPositive();
                }
            }
            DeployFiles.alertExpressions().forEach((alert, expression) -> {
                prometheus.query(expression);
                for (String name : DeployFiles.metricNamesIn(java.util.List.of(expression))) {
                    assertThat(prometheus.resultCount(name)).as("%s selects %s", alert, name).isPositive();
                }
            });
            assertThat(prometheus.resultCount("phasegrid_phases_finished_total{job=\"" + JOB
                    + "\",outcome=\"failed\",reason=\"execution_error\"} == 1")).isEqualTo(1);
            assertThat(prometheus.resultCount("phasegrid_phases_requeued_total{reason=\"lease_expired\"} == 1"))
                    .isEqualTo(1);
            assertThat(prometheus.resultCount("phasegrid_leases_expired_total == 1")).isEqualTo(1);
            assertThat(prometheus.resultCount("phasegrid_worker_slots_busy{worker=\"alpha\"} == 2")).isEqualTo(1);
        }
    }

    private static boolean aboutWorkerProcesses(String expression) {
        return expression.contains("phasegrid_agent_") || expression.contains("job=\"phasegrid-worker\"");
    }

    private static void recordARunWithAFailureAndALostWorker(CoordinatorMetrics coordinator) {
        coordinator.readyToStarted(12);
        coordinator.leaseGranted(3);
        coordinator.leaseRenewed(6);
        coordinator.phaseDuration(1_500);
        coordinator.phaseFinished("SUCCEEDED", Reason.NONE);
        coordinator.leaseExpired(1);
        coordinator.phaseRequeued(Reason.LEASE_EXPIRED);
        coordinator.staleEpochRefused();
        coordinator.phaseDuration(40);
        coordinator.phaseFinished("FAILED", Reason.EXECUTION_ERROR);
        coordinator.phaseFinished("BLOCKED", Reason.BLOCKED);
        coordinator.fallbackToSequential();
        coordinator.pausedOnBudget();
        coordinator.runFinished("FAILED", 2);
    }

    private void callGrpcOnce() throws Exception {
        String name = "metrics-prometheus-" + UUID.randomUUID();
        Server server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new HealthStatusManager().getHealthService())
                .intercept(new GrpcServerMetrics(metrics.registry())).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().build());
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
        }
    }
}
