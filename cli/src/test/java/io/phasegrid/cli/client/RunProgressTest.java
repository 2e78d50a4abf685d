package io.phasegrid.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 9, section 3: the progress line's busy slots agree with the run's leased and running phases. */
class RunProgressTest {

    @Test
    void onItsOwnClusterTheRunsActivePhasesAreTheBusySlotsWhateverTheLastHeartbeatsSaid() {
        // two phases leased a moment ago; the workers' heartbeats still report 0 busy
        assertThat(RunProgress.slotsPart(2, 6, -1, 0)).isEqualTo(", slots 2/6 busy");
        assertThat(RunProgress.slotsPart(0, 6, 6, 3)).as("a finished phase frees its slot at once")
                .isEqualTo(", slots 0/6 busy");
    }

    @Test
    void onASharedClusterTheBusySlotsAreAtLeastTheRunsActivePhases() {
        assertThat(RunProgress.slotsPart(2, 0, 6, 0)).isEqualTo(", slots 2/6 busy");
        assertThat(RunProgress.slotsPart(2, 0, 6, 5)).as("other runs hold slots too").isEqualTo(", slots 5/6 busy");
        assertThat(RunProgress.slotsPart(2, 0, -1, 0)).as("an older coordinator without ListWorkers").isEmpty();
    }
}
