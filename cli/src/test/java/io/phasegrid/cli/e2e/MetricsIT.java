package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.testing.DeployFiles;
import io.phasegrid.common.testing.RealPrometheus;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.RetryPolicy;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunState;
import io.phasegrid.proto.v1.SetBudgetRequest;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, section 3: a real Prometheus scrapes a coordinator and two worker processes while a run has a worker
 * killed under a lease and a phase that fails; every query of the dashboard and of the alert rules then works
 * against it, and the failure and the lease expiry show up with their labels. Skipped without {@code prometheus}.
 */
class MetricsIT {

    private static final String COORDINATOR_JOB = "phasegrid-coordinator";
    private static final String WORKER_JOB = "phasegrid-worker";

    @TempDir
    Path dir;

    private Cluster cluster;
    private RealPrometheus prometheus;

    @RegisterExtension
    final PrintLogsOnFailure logs = new PrintLogsOnFailure(() -> cluster);

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static StructuredPhase phase(String key, String... deps) {
        return StructuredPhase.newBuilder().setKey(key).setName("Phase " + key).setEstimatedTokens(1_000)
                .addAllDependsOn(List.of(deps)).build();
    }

    private Run run(String runId) {
        return cluster.runs().getRun(GetRunRequest.newBuilder().setRunId(runId).build());
    }

    private RunPhase phaseOf(String runId, String key) {
        return run(runId).getPhasesList().stream().filter(p -> p.getKey().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void theDashboardAndTheAlertsWorkAgainstARealPrometheusScrapingALiveClusterWithAFailureAndALostWorker()
            throws Exception {
        Path binary = DeployFiles.onPath("prometheus");
        org.junit.jupiter.api.Assumptions.assumeTrue(binary != null,
                "prometheus is not on the PATH (Debian package prometheus; .ci/run installs it): test skipped");
        int coordinatorMetrics = Cluster.freePort();
        int doomedMetrics = Cluster.freePort();
        int steadyMetrics = Cluster.freePort();
        cluster = Cluster.start(dir, "e2e-metrics", "--metrics-port", "" + coordinatorMetrics);
        cluster.ledger().setBudget(SetBudgetRequest.newBuilder().setBudget(1_000_000).build());
        Map<String, List<String>> jobs = new LinkedHashMap<>();
        jobs.put(COORDINATOR_JOB, List.of("127.0.0.1:" + coordinatorMetrics));
        jobs.put(WORKER_JOB, List.of("127.0.0.1:" + doomedMetrics, "127.0.0.1:" + steadyMetrics));
        prometheus = RealPrometheus.startJobs(dir, jobs);

        // 1,000 tokens = 10 minutes: the doomed worker holds its lease until it is killed
        Cluster.Node doomed = cluster.startWorker("doomed", "--slots", "1", "--executor", "simulate",
                "--time-scale", "600000", "--metrics-port", "" + doomedMetrics);
        String runId = cluster.runs().submit(SubmitRunRequest.newBuilder()
                .setStructured(StructuredRoadmap.newBuilder().addPhases(phase("bad")).addPhases(phase("after", "bad"))
                        .addPhases(phase("ok1")).addPhases(phase("ok2")).addPhases(phase("ok3")))
                .setOptions(RunOptions.newBuilder().setNoInfer(true)
                        .setRetry(RetryPolicy.newBuilder().setMaxAttempts(1)))
                .build()).getRunId();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            RunPhase bad = phaseOf(runId, "bad"); // the longest chain goes first, to the only worker
            return bad.getWorker().equals("doomed") && bad.getState() == PhaseState.PHASE_RUNNING;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                prometheus.resultCount("up{job=\"" + WORKER_JOB + "\"} == 1") == 1);
        cluster.kill(doomed);

        cluster.startWorker("steady", "--slots", "2", "--executor", "simulate", "--time-scale", "10",
                "--fail", "bad", "--metrics-port", "" + steadyMetrics);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> run(runId).getState() == RunState.RUN_FAILED);
        // the run's end scraped by everyone, and two samples of it for rate() and increase()
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                prometheus.resultCount("count_over_time(phasegrid_runs_finished_total{state=\"failed\"}[1m]) >= 3")
                        == 1 && prometheus.resultCount(
                        "count_over_time(phasegrid_agent_phases_total{outcome=\"failed\"}[1m]) >= 3") == 1);

        for (String expression : DeployFiles.dashboardExpressions()) {
            assertThat(prometheus.resultCount(DeployFiles.runnable(expression)))
                    .as("dashboard query %s returns data", expression).isPositive();
        }
        DeployFiles.alertExpressions().forEach((alert, expression) -> {
            prometheus.query(expression); // valid: an invalid one throws with Prometheus's error
            for (String name : DeployFiles.metricNamesIn(List.of(expression))) {
                assertThat(prometheus.resultCount(name)).as("alert %s selects %s", alert, name).isPositive();
            }
        });
        assertThat(prometheus.resultCount("phasegrid_phases_finished_total{job=\"" + COORDINATOR_JOB
                + "\",outcome=\"failed\",reason=\"execution_error\"} == 1")).isEqualTo(1);
        assertThat(prometheus.resultCount(
                "phasegrid_phases_finished_total{outcome=\"blocked\",reason=\"blocked\"} == 1")).isEqualTo(1);
        assertThat(prometheus.resultCount(
                "phasegrid_phases_finished_total{outcome=\"succeeded\",reason=\"none\"} == 3")).isEqualTo(1);
        assertThat(prometheus.resultCount("phasegrid_phases_requeued_total{reason=\"lease_expired\"} >= 1"))
                .isEqualTo(1);
        assertThat(prometheus.resultCount("phasegrid_leases_expired_total >= 1")).isEqualTo(1);
        assertThat(prometheus.resultCount("phasegrid_agent_phases_total{outcome=\"failed\"} == 1")).isEqualTo(1);
        assertThat(prometheus.resultCount("up{job=\"" + WORKER_JOB + "\",instance=\"127.0.0.1:" + doomedMetrics
                + "\"} == 0")).as("the killed worker is down").isEqualTo(1);
    }
}
