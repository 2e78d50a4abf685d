package io.phasegrid.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The table of legal phase state changes that every transition of a run goes through. */
class PhaseTransitionsTest {

    @Test
    void aPhaseMovesForwardThroughLeaseAndReport() {
        assertThat(PhaseTransitions.allowed(PhaseState.PENDING, PhaseState.READY)).isTrue();
        assertThat(PhaseTransitions.allowed(PhaseState.READY, PhaseState.LEASED)).isTrue();
        assertThat(PhaseTransitions.allowed(PhaseState.LEASED, PhaseState.RUNNING)).isTrue();
        assertThat(PhaseTransitions.allowed(PhaseState.RUNNING, PhaseState.SUCCEEDED)).isTrue();
        assertThat(PhaseTransitions.allowed(PhaseState.LEASED, PhaseState.SUCCEEDED)).isTrue();
    }

    @Test
    void onlyARetryLeavesAFinalStateAndSucceededOrSkippedPhasesAreNeverLeft() {
        for (PhaseState from : new PhaseState[] {PhaseState.FAILED, PhaseState.BLOCKED, PhaseState.CANCELLED}) {
            for (PhaseState to : PhaseState.values()) {
                assertThat(PhaseTransitions.allowed(from, to))
                        .as(from + " -> " + to).isEqualTo(to == PhaseState.READY || to == PhaseState.PENDING);
            }
        }
        for (PhaseState to : PhaseState.values()) {
            assertThat(PhaseTransitions.allowed(PhaseState.SUCCEEDED, to)).as("SUCCEEDED -> " + to).isFalse();
            assertThat(PhaseTransitions.allowed(PhaseState.SKIPPED, to)).as("SKIPPED -> " + to).isFalse();
        }
    }

    @Test
    void aPhaseIsLeasedOnlyFromReadyAndRunsOnlyAfterALease() {
        for (PhaseState from : PhaseState.values()) {
            assertThat(PhaseTransitions.allowed(from, PhaseState.LEASED)).as(from + " -> LEASED")
                    .isEqualTo(from == PhaseState.READY);
            assertThat(PhaseTransitions.allowed(from, PhaseState.RUNNING)).as(from + " -> RUNNING")
                    .isEqualTo(from == PhaseState.LEASED);
        }
    }

    @Test
    void anIllegalChangeThrowsNamingThePhaseAndBothStates() {
        assertThatThrownBy(() -> PhaseTransitions.check("07", PhaseState.PENDING, PhaseState.SUCCEEDED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("phase 07: no transition from PENDING to SUCCEEDED");
    }

    @Test
    void everyStateHasARowInTheTable() {
        for (PhaseState from : PhaseState.values()) {
            for (PhaseState to : PhaseState.values()) {
                PhaseTransitions.allowed(from, to); // no row missing: would throw NullPointerException
            }
        }
    }
}
