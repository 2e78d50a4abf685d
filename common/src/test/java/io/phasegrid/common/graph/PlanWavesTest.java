package io.phasegrid.common.graph;

import static io.phasegrid.common.testing.RoadmapBuilder.roadmap;
import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import io.phasegrid.common.testing.RoadmapBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanWavesTest {

    private static Phase onlyPhase(RoadmapBuilder.PhaseSpec spec) {
        return spec.build().phases().get(0);
    }

    @Test
    void planWavesAreKahnLevelsOverDependsOn() {
        Phase phase = onlyPhase(roadmap().phase("7")
                .plan(1).and()
                .plan(2).and()
                .plan(3).dependsOn("07-01").and()
                .plan(4).dependsOn("07-03", "07-02").and());

        PlanWaves.Result result = PlanWaves.compute(phase);

        assertThat(result.waves()).containsExactly(List.of("07-01", "07-02"), List.of("07-03"), List.of("07-04"));
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void aDeclaredWaveThatDisagreesIsAWarningNamingThePlanFileAndBothWaves() {
        Phase phase = onlyPhase(roadmap().phase("7")
                .plan(1).wave(1).and()
                .plan(2).wave(1).dependsOn("07-01").and());

        PlanWaves.Result result = PlanWaves.compute(phase);

        assertThat(result.waves()).containsExactly(List.of("07-01"), List.of("07-02"));
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.PLAN_WAVE_MISMATCH);
            assertThat(p.source()).isEqualTo(SourceRef.of(".planning/phases/07-phase/07-02-PLAN.md", 1));
            assertThat(p.message()).isEqualTo("plan 07-02 (.planning/phases/07-phase/07-02-PLAN.md:1) declares "
                    + "wave 1 but its depends_on puts it in wave 2; using wave 2");
        });
    }

    @Test
    void anUnknownPlanDependencyIsAWarningAndIgnored() {
        Phase phase = onlyPhase(roadmap().phase("7").plan(1).dependsOn("07-09").and());

        PlanWaves.Result result = PlanWaves.compute(phase);

        assertThat(result.waves()).containsExactly(List.of("07-01"));
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.UNKNOWN_PLAN_DEPENDENCY);
            assertThat(p.message()).contains("07-09");
        });
    }

    @Test
    void planCycleIsAWarningAndItsPlansRunLastOneAtATime() {
        Phase phase = onlyPhase(roadmap().phase("7")
                .plan(1).dependsOn("07-02").and()
                .plan(2).dependsOn("07-01").and()
                .plan(3).and());

        PlanWaves.Result result = PlanWaves.compute(phase);

        assertThat(result.waves()).containsExactly(List.of("07-03"), List.of("07-01"), List.of("07-02"));
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.PLAN_CYCLE);
            assertThat(p.message()).contains("07-01, 07-02");
        });
    }

    @Test
    void plansOfOneWaveThatModifyTheSameFileAreSplitIntoSuccessiveSubWaves() {
        Phase phase = onlyPhase(roadmap().phase("7")
                .plan(1).modifies("src/a.ts").and()
                .plan(2).modifies("src/b.ts").and()
                .plan(3).modifies("src/b.ts", "src/a.ts").and()
                .plan(4).modifies("src/a.ts").and()
                .plan(5).modifies("src/c.ts").and());

        PlanWaves.Result result = PlanWaves.compute(phase);

        assertThat(result.waves()).containsExactly(
                List.of("07-01", "07-02", "07-05"), List.of("07-03"), List.of("07-04"));
    }

    @Test
    void sameFileSplittingKeepsTheDeclaredWaveCheckOnDependsOnLevels() {
        Phase phase = onlyPhase(roadmap().phase("7")
                .plan(1).wave(1).modifies("x").and()
                .plan(2).wave(1).modifies("x").and());

        PlanWaves.Result result = PlanWaves.compute(phase);

        assertThat(result.waves()).containsExactly(List.of("07-01"), List.of("07-02"));
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void aPhaseWithoutPlansHasNoPlanWaves() {
        assertThat(PlanWaves.compute(onlyPhase(roadmap().phase("1"))).waves()).isEmpty();
    }
}
