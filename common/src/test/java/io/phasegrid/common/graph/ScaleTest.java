package io.phasegrid.common.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.parse.RoadmapLoader;
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
        assertThat(ParallelCheck.of(analysis).pendingWaves().get(0)).hasSize(100);
    }

    /** A hostile declared range: check and simulate must stay linear in the number of dependencies of one phase. */
    @Test
    void onePhaseDependingOnAHundredThousandPhasesIsCheckedAndSimulatedInLinearTime() {
        int n = 100_000;
        StringBuilder markdown = new StringBuilder();
        for (int i = 1; i < n; i++) {
            markdown.append("### Phase ").append(i).append(": P").append(i).append('\n');
        }
        markdown.append("### Phase ").append(n).append(": Last\n**Depends on**: Phases 1-").append(n - 1).append('\n');
        Roadmap roadmap = RoadmapLoader.parse("ROADMAP.md", markdown.toString());
        Analysis analysis = RoadmapAnalyzer.analyze(roadmap, AnalysisOptions.defaults());
        assertThat(analysis.phases().get(n - 1).dependsOn()).hasSize(n - 1);

        Duration linearGuard = Duration.ofSeconds(20);
        ParallelCheck.Result result = assertTimeoutPreemptively(linearGuard,
                () -> ParallelCheck.of(analysis).canRunTogether(List.of("01", String.valueOf(n))));
        assertThat(result.conflicts()).singleElement().satisfies(c -> assertThat(c.path()).singleElement()
                .satisfies(step -> assertThat(step.reason()).isEqualTo("declared at ROADMAP.md:" + (n + 1))));
        Simulation simulation = assertTimeoutPreemptively(linearGuard,
                () -> ScheduleSimulator.withDefaults().simulate(analysis, null, 8));
        assertThat(simulation.dependencyDrivenSchedule()).hasSize(n);
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
