package io.phasegrid.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.phasegrid.common.metrics.MetricNames;
import io.phasegrid.coordinator.ledger.LedgerSnapshot;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CoordinatorMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CoordinatorMetrics metrics = new CoordinatorMetrics(registry);
    private final FixedCluster cluster = new FixedCluster();

    @Test
    void leaseEventsAreCountedInBatches() {
        metrics.leaseGranted(3);
        metrics.leaseGranted(2);
        metrics.leaseRenewed(4);
        metrics.leaseExpired(1);
        metrics.staleEpochRefused();

        assertThat(registry.scrape()).contains(
                "phasegrid_leases_granted_total 5.0",
                "phasegrid_leases_renewed_total 4.0",
                "phasegrid_leases_expired_total 1.0",
                "phasegrid_leases_stale_refused_total 1.0");
    }

    @Test
    void finishedPhasesAreCountedByOutcomeAndReasonFromPhaseStateNames() {
        metrics.phaseFinished("SUCCEEDED", null);
        metrics.phaseFinished("SUCCEEDED", "none");
        metrics.phaseFinished("FAILED", MetricNames.Reason.EXECUTION_ERROR);
        metrics.phaseFinished("FAILED", MetricNames.Reason.LEASE_EXPIRED);
        metrics.phaseFinished("BLOCKED", MetricNames.Reason.BLOCKED);

        assertThat(registry.scrape()).contains(
                "phasegrid_phases_finished_total{outcome=\"succeeded\",reason=\"none\"} 2.0",
                "phasegrid_phases_finished_total{outcome=\"failed\",reason=\"execution_error\"} 1.0",
                "phasegrid_phases_finished_total{outcome=\"failed\",reason=\"lease_expired\"} 1.0",
                "phasegrid_phases_finished_total{outcome=\"blocked\",reason=\"blocked\"} 1.0",
                // known outcomes are exported from the start, so rate() and the failure ratio have a baseline
                "phasegrid_phases_finished_total{outcome=\"cancelled\",reason=\"cancelled\"} 0.0",
                "phasegrid_phases_finished_total{outcome=\"skipped\",reason=\"none\"} 0.0");
    }

    @Test
    void unknownTagValuesAreRecordedAsOtherSoTheyCannotAddSeries() {
        metrics.phaseFinished("r-0123456789-abcdefgh", "exit code 137 on host-42");
        metrics.phaseFinished("FAILED", "timeout after 3600 s");
        metrics.phaseRequeued("who knows");
        metrics.runFinished("EXPLODED", 1);

        assertThat(registry.scrape()).contains(
                "phasegrid_phases_finished_total{outcome=\"other\",reason=\"other\"} 1.0",
                "phasegrid_phases_finished_total{outcome=\"failed\",reason=\"other\"} 1.0",
                "phasegrid_phases_requeued_total{reason=\"other\"} 1.0",
                "phasegrid_runs_finished_total{state=\"other\"} 1.0");
    }

    @Test
    void requeuesAreCountedApartFromFinalOutcomes() {
        metrics.phaseRequeued(MetricNames.Reason.LEASE_EXPIRED);
        metrics.phaseRequeued(MetricNames.Reason.EXECUTION_ERROR);
        metrics.phaseRequeued(MetricNames.Reason.EXECUTION_ERROR);

        assertThat(registry.scrape()).contains(
                "phasegrid_phases_requeued_total{reason=\"lease_expired\"} 1.0",
                "phasegrid_phases_requeued_total{reason=\"execution_error\"} 2.0",
                "phasegrid_phases_finished_total{outcome=\"failed\",reason=\"execution_error\"} 0.0");
    }

    @Test
    void phaseDurationIsAHistogramFromMillisecondsToHours() {
        metrics.phaseDuration(3);
        metrics.phaseDuration(40_000);
        metrics.phaseDuration(2 * 3600 * 1000);
        metrics.phaseDuration(-5);

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "# TYPE phasegrid_phase_duration_seconds histogram",
                "phasegrid_phase_duration_seconds_bucket{le=\"0.005\"} 1",
                "phasegrid_phase_duration_seconds_bucket{le=\"60.0\"} 2",
                "phasegrid_phase_duration_seconds_bucket{le=\"3600.0\"} 2",
                "phasegrid_phase_duration_seconds_bucket{le=\"7200.0\"} 3",
                "phasegrid_phase_duration_seconds_bucket{le=\"14400.0\"} 3",
                "phasegrid_phase_duration_seconds_bucket{le=\"+Inf\"} 3",
                "phasegrid_phase_duration_seconds_count 3");
    }

    @Test
    void readyToStartedIsAHistogramWithMillisecondBuckets() {
        metrics.readyToStarted(2);
        metrics.readyToStarted(20 * 60 * 1000);

        assertThat(registry.scrape()).contains(
                "# TYPE phasegrid_phase_schedule_to_start_seconds histogram",
                "phasegrid_phase_schedule_to_start_seconds_bucket{le=\"0.001\"} 0",
                "phasegrid_phase_schedule_to_start_seconds_bucket{le=\"0.005\"} 1",
                "phasegrid_phase_schedule_to_start_seconds_bucket{le=\"900.0\"} 1",
                "phasegrid_phase_schedule_to_start_seconds_bucket{le=\"3600.0\"} 2");
    }

    @Test
    void fallbacksPausesAndFinishedRunsAreCounted() {
        metrics.fallbackToSequential();
        metrics.pausedOnBudget();
        metrics.pausedOnBudget();
        metrics.runFinished("FAILED", 3);
        metrics.runFinished("SUCCEEDED", 12);

        assertThat(registry.scrape()).contains(
                "phasegrid_sequential_fallbacks_total 1.0",
                "phasegrid_budget_pauses_total 2.0",
                "phasegrid_runs_finished_total{state=\"failed\"} 1.0",
                "phasegrid_runs_finished_total{state=\"succeeded\"} 1.0",
                "phasegrid_runs_finished_total{state=\"cancelled\"} 0.0",
                "phasegrid_run_max_parallelism_bucket{le=\"3.0\"} 1",
                "phasegrid_run_max_parallelism_bucket{le=\"12.0\"} 2",
                "phasegrid_run_max_parallelism_max 12.0");
    }

    @Test
    void clusterGaugesAreReadAtRefreshAndEveryRunStateIsAlwaysPresent() {
        metrics.bindGauges(cluster);
        cluster.runs = new ClusterGauges.RunTotals(5, Map.of("RUNNING", 2, "QUEUED", 1), 7, 90_000);
        cluster.tokens = new LedgerSnapshot(1_000_000, 150_000, 700_000, 5);

        metrics.refreshGauges();

        assertThat(registry.scrape()).contains(
                "phasegrid_phases_running 5.0",
                "phasegrid_ready_queue_depth 7.0",
                "phasegrid_ready_oldest_age_seconds 90.0",
                "phasegrid_runs{state=\"running\"} 2.0",
                "phasegrid_runs{state=\"queued\"} 1.0",
                "phasegrid_runs{state=\"paused\"} 0.0",
                "phasegrid_runs{state=\"succeeded\"} 0.0",
                "phasegrid_runs{state=\"failed\"} 0.0",
                "phasegrid_runs{state=\"cancelled\"} 0.0",
                "phasegrid_tokens_budget 1000000.0",
                "phasegrid_tokens_reserved 150000.0",
                "phasegrid_tokens_used 700000.0",
                "phasegrid_tokens_remaining 150000.0");
    }

    @Test
    void remainingTokensAreNotANumberWhileTheBudgetIsUnlimited() {
        metrics.bindGauges(cluster);
        cluster.tokens = new LedgerSnapshot(0, 10, 20, 1);

        metrics.refreshGauges();

        assertThat(registry.scrape()).contains("phasegrid_tokens_budget 0.0", "phasegrid_tokens_remaining NaN");
    }

    @Test
    void perWorkerSlotGaugesFollowWorkersAsTheyComeAndGo() {
        metrics.bindGauges(cluster);
        cluster.workers.put("alpha", new ClusterGauges.Slots(4, 3));
        cluster.workers.put("beta", new ClusterGauges.Slots(2, 0));
        metrics.refreshGauges();

        assertThat(registry.scrape()).contains(
                "phasegrid_workers_connected 2.0",
                "phasegrid_worker_slots{worker=\"alpha\"} 4.0",
                "phasegrid_worker_slots_busy{worker=\"alpha\"} 3.0",
                "phasegrid_worker_slots{worker=\"beta\"} 2.0",
                "phasegrid_worker_slots_busy{worker=\"beta\"} 0.0");

        cluster.workers.remove("alpha");
        cluster.workers.put("beta", new ClusterGauges.Slots(2, 2));
        metrics.refreshGauges();

        assertThat(registry.scrape())
                .contains("phasegrid_workers_connected 1.0", "phasegrid_worker_slots_busy{worker=\"beta\"} 2.0")
                .doesNotContain("worker=\"alpha\"");
    }

    @Test
    void aSourceThatFailsKeepsTheGroupsPreviousValuesAndTheOthersStillRefresh() {
        metrics.bindGauges(cluster);
        cluster.runs = new ClusterGauges.RunTotals(2, Map.of(), 1, 0);
        cluster.workers.put("alpha", new ClusterGauges.Slots(4, 1));
        metrics.refreshGauges();

        cluster.failRuns = true;
        cluster.workers.put("alpha", new ClusterGauges.Slots(4, 4));
        metrics.refreshGauges();

        assertThat(registry.scrape()).contains("phasegrid_phases_running 2.0",
                "phasegrid_worker_slots_busy{worker=\"alpha\"} 4.0");
    }

    @Test
    void noSeriesCarriesARunIdAndOnlyTheSlotGaugesCarryAWorker() {
        metrics.bindGauges(cluster);
        cluster.workers.put("alpha", new ClusterGauges.Slots(4, 1));
        metrics.leaseGranted(1);
        metrics.phaseFinished("FAILED", "execution_error");
        metrics.phaseDuration(1000);
        metrics.readyToStarted(10);
        metrics.runFinished("FAILED", 2);
        metrics.refreshGauges();

        Map<String, Set<String>> labels = labelsBySeries(registry.scrape());

        Set<String> allowed = Set.of("outcome", "reason", "state", "worker", "le");
        labels.forEach((series, names) -> assertThat(allowed).as(series).containsAll(names));
        labels.forEach((series, names) -> {
            if (names.contains("worker")) {
                assertThat(series).isIn("phasegrid_worker_slots", "phasegrid_worker_slots_busy");
            }
        });
    }

    @Test
    void aScrapeWhileTheMapsAreHeldUpAnswersWithThePreviousValues() throws Exception {
        metrics.bindGauges(cluster);
        cluster.runs = new ClusterGauges.RunTotals(3, Map.of(), 0, 0);
        metrics.refreshGauges();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        cluster.runsHeldUntil = held;
        cluster.runs = new ClusterGauges.RunTotals(9, Map.of(), 0, 0);

        // two scrapes while the read is held: neither waits for it, and it is not started twice
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            metrics.refreshGauges();
            metrics.refreshGauges();
        }).get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(registry.scrape()).contains("phasegrid_phases_running 3.0");
        held.countDown();
        cluster.runsHeldUntil = null;
        metrics.refreshGauges();
        assertThat(registry.scrape()).contains("phasegrid_phases_running 9.0");
    }

    @Test
    void everyExportedNameIsInTheCatalogue() {
        metrics.bindGauges(cluster);
        metrics.refreshGauges();

        assertThat(MetricNames.scrapedNames()).containsAll(labelsBySeries(registry.scrape()).keySet());
    }

    @Test
    void theDisabledMetricsAcceptEveryCall() {
        CoordinatorMetrics disabled = CoordinatorMetrics.disabled();

        assertThatCode(() -> {
            disabled.leaseGranted(1);
            disabled.phaseFinished("FAILED", "execution_error");
            disabled.phaseDuration(10);
            disabled.bindGauges(cluster);
            disabled.refreshGauges();
        }).doesNotThrowAnyException();
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-z_:][a-z0-9_:]*)(\\{([^}]*)})? ", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"");

    static Map<String, Set<String>> labelsBySeries(String scrape) {
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            Set<String> names = labels.computeIfAbsent(sample.group(1), k -> new HashSet<>());
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    names.add(label.group(1));
                }
            }
        }
        return labels;
    }

    /** Cluster values a test sets directly. */
    static final class FixedCluster implements ClusterGauges {

        volatile RunTotals runs = new RunTotals(0, Map.of(), 0, 0);
        volatile LedgerSnapshot tokens = new LedgerSnapshot(0, 0, 0, 0);
        final Map<String, Slots> workers = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean failRuns;
        /** While set, reading the runs waits until it counts down (maps held up by a database that is away). */
        volatile java.util.concurrent.CountDownLatch runsHeldUntil;

        @Override
        public RunTotals runs() {
            java.util.concurrent.CountDownLatch held = runsHeldUntil;
            if (held != null) {
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failRuns) {
                throw new IllegalStateException("member is shutting down");
            }
            return runs;
        }

        @Override
        public LedgerSnapshot tokens() {
            return tokens;
        }

        @Override
        public Map<String, Slots> workers() {
            return Map.copyOf(workers);
        }
    }
}
