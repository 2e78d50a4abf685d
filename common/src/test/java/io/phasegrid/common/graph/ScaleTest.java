package io.phasegrid.common.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.simulate.ScheduleSimulator;
import io.phasegrid.common.simulate.Simulation;
import io.phasegrid.common.testing.RoadmapBuilder;
import io.phasegrid.common.testing.SyntheticRoadmaps;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Large inputs finish and give the right shape. The timeouts only guard against hangs; speed is measured by the
 * benchmarks, not here (the test machine is noisy).
 */
class ScaleTest {

    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @Test
    void hundredThousandPhasesWithThreeHundredThousandDependencies() {
        Roadmap roadmap = SyntheticRoadmaps.layered(1_000, 100, 300, 42);
        assertThat(roadmap.phases()).hasSize(100_000);
        assertThat(roadmap.phases().stream().mapToInt(p -> p.dependsOn().size()).sum()).isEqualTo(300_000);

        Analysis analysis = assertTimeoutPreemptively(HANG_GUARD,
                () -> RoadmapAnalyzer.analyze(roadmap, AnalysisOptions.defaults()));

        assertThat(analysis.errors()).isEmpty();
        assertThat(analysis.waves()).hasSize(1_000).allSatisfy(wave -> assertThat(wave).hasSize(100));
        assertThat(analysis.maxParallelism()).isEqualTo(100);
        assertThat(analysis.criticalPath()).hasSize(1_000);

        Simulation simulation = assertTimeoutPreemptively(HANG_GUARD,
                () -> ScheduleSimulator.withDefaults().simulate(analysis, null, 8));
        assertThat(simulation.dependencyDrivenMinutes()).isGreaterThanOrEqualTo(simulation.lowerBoundMinutes());
        assertThat(ParallelCheck.of(analysis).readyNow()).hasSize(100);
    }

    @Test
    void tenThousandDeepChainGivesTenThousandWavesWithoutOverflowingTheStack() {
        Roadmap roadmap = SyntheticRoadmaps.chain(10_000, false);

        Analysis analysis = assertTimeoutPreemptively(HANG_GUARD,
                () -> RoadmapAnalyzer.analyze(roadmap, AnalysisOptions.defaults()));

        assertThat(analysis.waves()).hasSize(10_000);
        assertThat(analysis.maxParallelism()).isEqualTo(1);
        assertThat(analysis.criticalPath()).hasSize(10_000).startsWith("01").endsWith("10000");

        ParallelCheck.Result ends = ParallelCheck.of(analysis).canRunTogether(List.of("01", "10000"));
        assertThat(ends.conflicts()).singleElement().satisfies(c -> assertThat(c.path()).hasSize(9_999));
        assertThat(ScheduleSimulator.withDefaults().simulate(analysis, null, 4).dependencyDrivenMinutes())
                .isEqualTo(analysis.criticalPathTokens() / 1_000.0);
    }

    @Test
    void aPhaseWithTenThousandChainedPlansGetsTenThousandPlanWaves() {
        RoadmapBuilder.PhaseSpec phase = RoadmapBuilder.roadmap().phase("1");
        for (int i = 1; i <= 10_000; i++) {
            RoadmapBuilder.PlanSpec plan = phase.plan(i).modifies("shared.txt");
            if (i > 1) {
                plan.dependsOn(String.format("01-%02d", i - 1));
            }
        }
        Roadmap roadmap = phase.build();

        PlanWaves.Result result = assertTimeoutPreemptively(HANG_GUARD,
                () -> PlanWaves.compute(roadmap.phases().get(0)));

        assertThat(result.waves()).hasSize(10_000);
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void twoThousandPhaseCycleIsReportedWithItsPathShortened() {
        Roadmap roadmap = SyntheticRoadmaps.chain(2_000, true);

        Analysis analysis = assertTimeoutPreemptively(HANG_GUARD,
                () -> RoadmapAnalyzer.analyze(roadmap, AnalysisOptions.defaults()));

        assertThat(analysis.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(ProblemCode.CYCLE);
            assertThat(error.message())
                    .startsWith("cycle: 01 -> 2000 (.planning/ROADMAP.md:12) -> 1999 (.planning/ROADMAP.md:20002)")
                    .contains(" ... 1936 more dependencies ... ")
                    .endsWith(" -> 01 (.planning/ROADMAP.md:22)");
        });
        assertThat(analysis.errors()).extracting(Problem::source).extracting(s -> s.line()).containsExactly(12);
        assertThat(analysis.waves()).isEmpty();
    }
}
