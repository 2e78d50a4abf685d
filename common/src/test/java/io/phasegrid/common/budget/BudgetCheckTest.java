package io.phasegrid.common.budget;

import static io.phasegrid.common.testing.RoadmapBuilder.roadmap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.graph.RoadmapAnalyzer;
import io.phasegrid.common.testing.SyntheticRoadmaps;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetCheckTest {

    private static final List<Long> GROUP = List.of(40_000L, 60_000L);

    @Test
    void aBudgetThatCoversTheWholeGroupCanProceed() {
        assertThat(BudgetCheck.check(150_000, 10_000, GROUP))
                .isEqualTo(new BudgetCheck.Result(TokenVerdict.CAN_PROCEED, 150_000, 100_000, 60_000));
        assertThat(BudgetCheck.check(100_000, 10_000, GROUP).verdict()).isEqualTo(TokenVerdict.CAN_PROCEED);
    }

    @Test
    void aBudgetThatCoversTheLargestPhaseButNotTheGroupFallsBackToSequential() {
        assertThat(BudgetCheck.check(99_999, 10_000, GROUP).verdict()).isEqualTo(TokenVerdict.FALLBACK_SEQUENTIAL);
        assertThat(BudgetCheck.check(60_000, 10_000, GROUP).verdict()).isEqualTo(TokenVerdict.FALLBACK_SEQUENTIAL);
    }

    @Test
    void aBudgetThatCannotCarryEvenTheLargestPhaseIsInsufficient() {
        assertThat(BudgetCheck.check(59_999, 10_000, GROUP).verdict()).isEqualTo(TokenVerdict.INSUFFICIENT);
    }

    @Test
    void everyPhaseNeedsAtLeastTheMinimumTokensPerPhase() {
        BudgetCheck.Result result = BudgetCheck.check(30_000, 20_000, List.of(5_000L, 5_000L));

        assertThat(result.groupNeed()).isEqualTo(40_000);
        assertThat(result.largestPhaseNeed()).isEqualTo(20_000);
        assertThat(result.verdict()).isEqualTo(TokenVerdict.FALLBACK_SEQUENTIAL);
    }

    @Test
    void anEmptyGroupCanAlwaysProceed() {
        assertThat(BudgetCheck.check(0, 10_000, List.of()).verdict()).isEqualTo(TokenVerdict.CAN_PROCEED);
    }

    @Test
    void theGroupCanBeGivenAsAnalysedPhases() {
        Analysis analysis = RoadmapAnalyzer.analyze(roadmap()
                .phase("1").plan(1).tokens(40_000).and()
                .phase("2").plan(1).tokens(60_000).and()
                .phase("3").plan(1).tokens(1_000_000).and()
                .build(), AnalysisOptions.defaults());

        assertThat(BudgetCheck.check(150_000, 0, analysis, List.of("01", "02")).groupNeed()).isEqualTo(100_000);
    }

    @Test
    void aGroupOfEveryPhaseOfALargeRoadmapIsCheckedInLinearTime() {
        Analysis analysis = RoadmapAnalyzer.analyze(SyntheticRoadmaps.chain(100_000, false), AnalysisOptions.defaults());
        List<String> everyKey = analysis.phases().stream().map(p -> p.key()).toList();

        BudgetCheck.Result result = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> BudgetCheck.check(Long.MAX_VALUE, 0, analysis, everyKey));

        assertThat(result.verdict()).isEqualTo(TokenVerdict.CAN_PROCEED);
        assertThat(result.groupNeed()).isEqualTo(analysis.phases().stream().mapToLong(p -> p.estimatedTokens()).sum());
    }
}
