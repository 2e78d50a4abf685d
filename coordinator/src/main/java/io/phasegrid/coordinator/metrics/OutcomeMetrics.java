package io.phasegrid.coordinator.metrics;

import io.phasegrid.common.metrics.MetricNames;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunState;

/**
 * The outcome metrics, recorded here only: how an attempt ended and what became of its phase, whichever path ended
 * it (a report, an expired lease, a cancel), and the runs that finished.
 */
public final class OutcomeMetrics {

    private final CoordinatorMetrics metrics;

    public OutcomeMetrics(CoordinatorMetrics metrics) {
        this.metrics = metrics;
    }

    /** One accepted report: {@code after} is the phase's state once it was applied. */
    public void reported(Outcome reported, PhaseState after, long durationMs) {
        if (after == PhaseState.CANCELLED) {
            return; // counted when the run was cancelled; this report only charged its tokens
        }
        if (reported != Outcome.ABANDONED) {
            metrics.phaseDuration(durationMs); // a hand-back (drain, late poll answer) did not run an attempt
        }
        switch (after) {
            case SUCCEEDED -> metrics.phaseFinished(after.name(), MetricNames.Reason.NONE);
            case FAILED -> metrics.phaseFinished(after.name(), MetricNames.Reason.EXECUTION_ERROR);
            default -> metrics.phaseRequeued(reported == Outcome.ABANDONED ? MetricNames.Reason.ABANDONED
                    : MetricNames.Reason.EXECUTION_ERROR);
        }
    }

    /** One expired lease: its phase back to READY, or FAILED for good with its dependents BLOCKED. */
    public void expired(boolean failedForGood, int blockedDependents) {
        if (failedForGood) {
            metrics.phaseFinished(PhaseState.FAILED.name(), MetricNames.Reason.LEASE_EXPIRED);
            blocked(blockedDependents);
        } else {
            metrics.phaseRequeued(MetricNames.Reason.LEASE_EXPIRED);
        }
    }

    /** Phases BLOCKED by a failure upstream. */
    public void blocked(int phases) {
        for (int b = 0; b < phases; b++) {
            metrics.phaseFinished(PhaseState.BLOCKED.name(), MetricNames.Reason.BLOCKED);
        }
    }

    /** A cancel that ended {@code phases} phases; the run finished CANCELLED. */
    public void cancelled(int phases, int maxParallelism) {
        for (int i = 0; i < phases; i++) {
            metrics.phaseFinished(PhaseState.CANCELLED.name(), MetricNames.Reason.CANCELLED);
        }
        runFinished(RunState.CANCELLED, maxParallelism);
    }

    public void runFinished(RunState state, int maxParallelism) {
        metrics.runFinished(state.name(), maxParallelism);
    }
}
