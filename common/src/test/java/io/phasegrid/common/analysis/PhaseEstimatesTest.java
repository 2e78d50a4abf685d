package io.phasegrid.common.analysis;

import static io.phasegrid.common.testing.RoadmapBuilder.roadmap;
import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.testing.RoadmapBuilder;
import org.junit.jupiter.api.Test;

class PhaseEstimatesTest {

    private static long estimate(RoadmapBuilder.PhaseSpec spec, TokenEstimator estimator) {
        Phase phase = spec.build().phases().get(0);
        return PhaseEstimates.estimate(phase, estimator);
    }

    @Test
    void declaredPlanEstimatesAreSummed() {
        assertThat(estimate(roadmap().phase("1").requirements(9)
                .plan(1).tokens(12_000).plan(2).tokens(8_000).and(), TokenEstimator.defaults()))
                .isEqualTo(20_000);
    }

    @Test
    void plansWithoutAnEstimateCountAsTheMeanOfTheDeclaredOnes() {
        assertThat(estimate(roadmap().phase("1")
                .plan(1).tokens(10_000).plan(2).tokens(20_001).plan(3).and(), TokenEstimator.defaults()))
                .isEqualTo(10_000 + 20_001 + 15_001);
    }

    @Test
    void withoutDeclaredEstimatesTheSeedFormulaApplies() {
        assertThat(estimate(roadmap().phase("1").requirements(2).successCriteria(3).plan(1).and(),
                TokenEstimator.defaults())).isEqualTo(10_000 + 2 * 1_000 + 3 * 500);
    }

    @Test
    void theFormulaIsConfigurable() {
        assertThat(estimate(roadmap().phase("1").requirements(2).successCriteria(3),
                new TokenEstimator(1, 10, 100))).isEqualTo(1 + 20 + 300);
    }

    @Test
    void hugeDeclaredEstimatesSaturateAtTheMaximumInsteadOfWrappingNegative() {
        long nearMax = Long.MAX_VALUE / 2 + 1;
        assertThat(estimate(roadmap().phase("1")
                .plan(1).tokens(nearMax).plan(2).tokens(nearMax).plan(3).and(), TokenEstimator.defaults()))
                .isEqualTo(PhaseEstimates.MAX);
        assertThat(estimate(roadmap().phase("1").requirements(Integer.MAX_VALUE),
                new TokenEstimator(Long.MAX_VALUE, Long.MAX_VALUE, 1))).isEqualTo(PhaseEstimates.MAX);
    }

    @Test
    void theAnalysisWarnsAtThePlanWhoseEstimateIsOverTheMaximumAndItsCriticalPathStaysPositive() {
        Analysis analysis = io.phasegrid.common.graph.RoadmapAnalyzer.analyze(roadmap()
                .phase("1").plan(1).tokens(9_000_000_000_000_000_000L).and()
                .phase("2").dependsOn("01").plan(1).tokens(9_000_000_000_000_000_000L).and()
                .build(), AnalysisOptions.defaults());

        assertThat(analysis.errors()).isEmpty();
        assertThat(analysis.warnings()).filteredOn(p -> p.message().contains("over the largest estimate"))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.source().file()).endsWith("-01-PLAN.md"));
        assertThat(analysis.phases()).allSatisfy(p -> assertThat(p.estimatedTokens()).isEqualTo(PhaseEstimates.MAX));
        assertThat(analysis.criticalPathTokens()).isEqualTo(PhaseEstimates.MAX);
    }
}
