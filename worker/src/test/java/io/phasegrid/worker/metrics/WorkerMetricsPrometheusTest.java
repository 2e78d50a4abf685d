package io.phasegrid.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.metrics.MetricsServer;
import io.phasegrid.metrics.PrometheusMetrics;
import io.phasegrid.common.testing.DeployFiles;
import io.phasegrid.common.testing.RealPrometheus;
import io.phasegrid.worker.executor.PhaseOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus scrapes a worker's endpoint; the dashboard's worker-process queries return data. */
// alone: a Prometheus process beside timing-sensitive lease tests (200 ms TTLs) made those flaky
@Isolated
class WorkerMetricsPrometheusTest {

    private static final String JOB = "phasegrid-worker";

    @TempDir
    Path temp;

    @Test
    void everyWorkerProcessQueryOfTheDashboardWorksAgainstARealPrometheus() throws Exception {
        try (PrometheusMetrics metrics = PrometheusMetrics.create()) {
            WorkerMetrics worker = new WorkerMetrics(metrics.registry());
            worker.bindSlots(3, () -> 1);
            worker.phaseExecuted(PhaseOutcome.Status.SUCCEEDED, 2_000);
            worker.phaseExecuted(PhaseOutcome.Status.FAILED, 300);
            worker.reconnected();

            try (MetricsServer server = MetricsServer.builder(metrics.registry()).start();
                    RealPrometheus prometheus = RealPrometheus.start(temp, Map.of(JOB, "127.0.0.1:" + server.port()))) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        prometheus.resultCount("count_over_time(up{job=\"" + JOB + "\"}[1m]) >= 3") == 1);

                List<String> workerQueries = DeployFiles.dashboardExpressions().stream()
                        .filter(e -> e.contains("phasegrid_agent_") || e.contains("job=\"" + JOB + "\"")).toList();

                assertThat(workerQueries).isNotEmpty();
                for (String expression : workerQueries) {
                    assertThat(prometheus.resultCount(DeployFiles.runnable(expression)))
                            .as("dashboard query %s returns data", expression).isPositive();
                }
                assertThat(prometheus.resultCount("phasegrid_agent_phases_total{outcome=\"failed\"} == 1"))
                        .isEqualTo(1);
            }
        }
    }
}
