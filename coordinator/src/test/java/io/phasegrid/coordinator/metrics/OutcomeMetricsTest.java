package io.phasegrid.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunState;
import org.junit.jupiter.api.Test;

/** What each way an attempt ends (a report, an expiry, a cancel) counts, through the one recorder of outcomes. */
class OutcomeMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OutcomeMetrics outcomes = new OutcomeMetrics(new CoordinatorMetrics(registry));

    @Test
    void aReportCountsTheAttemptsDurationAndWhatBecameOfThePhase() {
        outcomes.reported(Outcome.SUCCEEDED, PhaseState.SUCCEEDED, 1_000);
        outcomes.reported(Outcome.FAILED, PhaseState.FAILED, 2_000);
        outcomes.reported(Outcome.FAILED, PhaseState.READY, 3_000);

        assertThat(registry.scrape()).contains(
                "phasegrid_phases_finished_total{outcome=\"succeeded\",reason=\"none\"} 1.0",
                "phasegrid_phases_finished_total{outcome=\"failed\",reason=\"execution_error\"} 1.0",
                "phasegrid_phases_requeued_total{reason=\"execution_error\"} 1.0",
                "phasegrid_phase_duration_seconds_count 3");
    }

    @Test
    void aHandBackIsARequeueWithoutAnAttemptAndALateReportOfACancelledPhaseCountsNothing() {
        outcomes.reported(Outcome.ABANDONED, PhaseState.READY, 5_000);
        outcomes.reported(Outcome.SUCCEEDED, PhaseState.CANCELLED, 5_000);

        assertThat(registry.scrape()).contains(
                "phasegrid_phases_requeued_total{reason=\"abandoned\"} 1.0",
                "phasegrid_phases_finished_total{outcome=\"cancelled\",reason=\"cancelled\"} 0.0",
                "phasegrid_phase_duration_seconds_count 0");
    }

    @Test
    void anExpiryRequeuesThePhaseOrFailsItForGoodWithItsDependentsBlocked() {
        outcomes.expired(false, 0);
        outcomes.expired(true, 2);

        assertThat(registry.scrape()).contains(
                "phasegrid_phases_requeued_total{reason=\"lease_expired\"} 1.0",
                "phasegrid_phases_finished_total{outcome=\"failed\",reason=\"lease_expired\"} 1.0",
                "phasegrid_phases_finished_total{outcome=\"blocked\",reason=\"blocked\"} 2.0");
    }

    @Test
    void aCancelCountsEachCancelledPhaseAndTheRunFinishedCancelled() {
        outcomes.cancelled(3, 2);
        outcomes.runFinished(RunState.SUCCEEDED, 4);

        assertThat(registry.scrape()).contains(
                "phasegrid_phases_finished_total{outcome=\"cancelled\",reason=\"cancelled\"} 3.0",
                "phasegrid_runs_finished_total{state=\"cancelled\"} 1.0",
                "phasegrid_runs_finished_total{state=\"succeeded\"} 1.0");
    }
}
