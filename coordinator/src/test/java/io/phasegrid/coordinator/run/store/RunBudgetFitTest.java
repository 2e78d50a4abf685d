package io.phasegrid.coordinator.run.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run's own budget against its reserved + used + the new estimates, which may pass Long.MAX_VALUE together. */
class RunBudgetFitTest {

    private static RunRecord run(long estimate, long budget) {
        return RunRecord.create("r1", "test", RunBlueprint.builder().phase("a", estimate).phase("b", estimate)
                .build(RunSettings.builder().budgetTokens(budget).build()), 0);
    }

    @Test
    void estimatesWhoseSumWouldWrapAroundStillDoNotFitASmallBudget() {
        RunRecord run = run(Long.MAX_VALUE, 1_000);
        List<LeaseGrant> grants = run.lease("w", 2, 1, 30_000);

        assertThat(LeaseProcessors.fitRunBudget(run, grants)).isZero();
    }

    @Test
    void estimatesWithinTheBudgetFitExactly() {
        RunRecord run = run(500, 1_000);
        List<LeaseGrant> grants = run.lease("w", 2, 1, 30_000);

        assertThat(LeaseProcessors.fitRunBudget(run, grants)).isEqualTo(2);
    }
}
