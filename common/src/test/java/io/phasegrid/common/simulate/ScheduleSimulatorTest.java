package io.phasegrid.common.simulate;

import static io.phasegrid.common.testing.RoadmapBuilder.roadmap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.graph.RoadmapAnalyzer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed example, 1,000 tokens = 1 minute. Durations: 01=10, 02=20 (after 01), 03=5, 04=30 (after 03),
 * 05=10. Waves [01,03,05] [02,04]; remaining paths 01=30, 02=20, 03=35, 04=30, 05=10.
 */
class ScheduleSimulatorTest {

    private static final Analysis ANALYSIS = RoadmapAnalyzer.analyze(roadmap()
            .phase("1").plan(1).tokens(10_000).and()
            .phase("2").dependsOn("01").plan(1).tokens(20_000).and()
            .phase("3").plan(1).tokens(5_000).and()
            .phase("4").dependsOn("03").plan(1).tokens(30_000).and()
            .phase("5").plan(1).tokens(10_000).and()
            .build(), AnalysisOptions.defaults());

    private final ScheduleSimulator simulator = ScheduleSimulator.withDefaults();

    @Test
    void sequentialIsTheSumAndTokenUseIsTheTotalEstimate() {
        Simulation simulation = simulator.simulate(ANALYSIS, null, 2);

        assertThat(simulation.totalTokens()).isEqualTo(75_000);
        assertThat(simulation.sequentialMinutes()).isEqualTo(75.0);
    }

    @Test
    void withoutGroupsTheWavesRunOneAfterAnotherEachAsLongAsItsLongestPhase() {
        Simulation simulation = simulator.simulate(ANALYSIS, List.of(), 2);

        assertThat(simulation.groups()).containsExactly(List.of("01", "03", "05"), List.of("02", "04"));
        assertThat(simulation.groupsMinutes()).isEqualTo(10.0 + 30.0);
        assertThat(simulation.groupTokens()).isEqualTo(75_000);
    }

    @Test
    void explicitGroupsAreTimedTheSameWay() {
        Simulation simulation = simulator.simulate(ANALYSIS, List.of(List.of("01", "03"), List.of("02")), 2);

        assertThat(simulation.groupsMinutes()).isEqualTo(10.0 + 20.0);
        assertThat(simulation.groupTokens()).isEqualTo(35_000);
    }

    @Test
    void explicitGroupsThatBreakADependencyAreReported() {
        Simulation simulation = simulator.simulate(ANALYSIS, List.of(List.of("02", "01"), List.of("04"), List.of("03")),
                2);

        assertThat(simulation.groupOrderProblems())
                .containsExactly("02 (group 1) depends on 01 (group 1)", "04 (group 2) depends on 03 (group 3)");
        assertThat(simulator.simulate(ANALYSIS, null, 2).groupOrderProblems()).isEmpty();
    }

    @Test
    void waveBarrierListSchedulesEachWaveOnTheSlots() {
        // wave 1 on 2 slots: 03 [0,5] and 01 [0,10], then 05 [5,15] -> 15; wave 2: 04 and 02 side by side -> 30
        assertThat(simulator.simulate(ANALYSIS, null, 2).waveBarrierMinutes()).isEqualTo(45.0);
    }

    @Test
    void dependencyDrivenStartsEachPhaseAsSoonAsItsDependenciesAndASlotAllow() {
        Simulation simulation = simulator.simulate(ANALYSIS, null, 2);

        assertThat(simulation.dependencyDrivenMinutes()).isEqualTo(40.0);
        assertThat(simulation.dependencyDrivenSchedule()).containsExactly(
                new ScheduledPhase("03", 0, 0, 5),
                new ScheduledPhase("01", 1, 0, 10),
                new ScheduledPhase("04", 0, 5, 35),
                new ScheduledPhase("02", 1, 10, 30),
                new ScheduledPhase("05", 1, 30, 40));
    }

    @Test
    void lowerBoundIsTheLargerOfCriticalPathAndWorkPerSlot() {
        Simulation twoSlots = simulator.simulate(ANALYSIS, null, 2);
        Simulation threeSlots = simulator.simulate(ANALYSIS, null, 3);

        assertThat(twoSlots.criticalPathMinutes()).isEqualTo(35.0);
        assertThat(twoSlots.lowerBoundMinutes()).isEqualTo(37.5);
        assertThat(threeSlots.lowerBoundMinutes()).isEqualTo(35.0);
    }

    @Test
    void oneSlotMakesEverySchedulesSequential() {
        Simulation simulation = simulator.simulate(ANALYSIS, null, 1);

        assertThat(simulation.waveBarrierMinutes()).isEqualTo(75.0);
        assertThat(simulation.dependencyDrivenMinutes()).isEqualTo(75.0);
        assertThat(simulation.lowerBoundMinutes()).isEqualTo(75.0);
    }

    @Test
    void theDurationRateIsConfigurable() {
        Simulation simulation = new ScheduleSimulator(new DurationModel(500)).simulate(ANALYSIS, null, 2);

        assertThat(simulation.sequentialMinutes()).isEqualTo(150.0);
    }

    @Test
    void completePhasesAreNotSimulatedUnderPendingOnly() {
        Analysis pending = RoadmapAnalyzer.analyze(roadmap()
                .phase("1").complete().plan(1).tokens(10_000).and()
                .phase("2").dependsOn("01").plan(1).tokens(20_000).and()
                .build(), AnalysisOptions.defaults().withPendingOnly(true));

        assertThat(simulator.simulate(pending, null, 2).sequentialMinutes()).isEqualTo(20.0);
    }

    @Test
    void badInputIsRefusedWithAReadableMessage() {
        assertThatThrownBy(() -> simulator.simulate(ANALYSIS, List.of(List.of("01", "42")), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("42");
        assertThatThrownBy(() -> simulator.simulate(ANALYSIS, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slots");
    }
}
