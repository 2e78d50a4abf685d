package io.phasegrid.common.graph;

import static io.phasegrid.common.testing.RoadmapBuilder.roadmap;
import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.roadmap.Roadmap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParallelCheckTest {

    private static Roadmap sample() {
        return roadmap()
                .phase("1")
                .phase("2").dependsOn("01")
                .phase("3").dependsOn("02")
                .phase("4").plan(1).modifies("src/app.ts").and()
                .phase("5").plan(1).modifies("docs/x.md", "src/app.ts").and()
                .build();
    }

    private static ParallelCheck check(Roadmap roadmap, AnalysisOptions options) {
        Analysis analysis = RoadmapAnalyzer.analyze(roadmap, options);
        return ParallelCheck.of(analysis);
    }

    @Test
    void independentPhasesCanRunTogether() {
        ParallelCheck.Result result = check(sample(), AnalysisOptions.defaults()).canRunTogether(List.of("01", "04"));

        assertThat(result.parallel()).isTrue();
        assertThat(result.conflicts()).isEmpty();
    }

    @Test
    void aTransitiveDependencyForbidsRunningTogetherAndIsShownAsAPathWithReasons() {
        ParallelCheck.Result result = check(sample(), AnalysisOptions.defaults())
                .canRunTogether(List.of("01", "03"));

        assertThat(result.parallel()).isFalse();
        assertThat(result.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.first()).isEqualTo("03");
            assertThat(conflict.second()).isEqualTo("01");
            assertThat(conflict.path()).containsExactly(
                    new ParallelCheck.Step("03", "02", "declared at .planning/ROADMAP.md:32"),
                    new ParallelCheck.Step("02", "01", "declared at .planning/ROADMAP.md:22"));
            assertThat(conflict.describe()).isEqualTo("03 depends on 01: 03 -> 02 (declared at "
                    + ".planning/ROADMAP.md:32) -> 01 (declared at .planning/ROADMAP.md:22)");
        });
    }

    @Test
    void anInferredSharedFileDependencyIsReportedWithItsReason() {
        ParallelCheck.Result result = check(sample(), AnalysisOptions.defaults())
                .canRunTogether(List.of("04", "05"));

        assertThat(result.conflicts()).singleElement().extracting(ParallelCheck.Conflict::describe)
                .isEqualTo("05 depends on 04: 05 -> 04 (both modify src/app.ts (plans 04-01 and 05-01))");
    }

    @Test
    void withoutInferenceASharedFileStillForbidsRunningTogether() {
        ParallelCheck.Result result = check(sample(), AnalysisOptions.defaults().withInferDependencies(false))
                .canRunTogether(List.of("04", "05"));

        assertThat(result.parallel()).isFalse();
        assertThat(result.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.path()).isEmpty();
            assertThat(conflict.sharedFile()).isEqualTo("src/app.ts");
            assertThat(conflict.describe()).isEqualTo("04 and 05 both modify src/app.ts");
        });
    }

    @Test
    void unknownKeysAreReportedAndNeverParallel() {
        ParallelCheck.Result result = check(sample(), AnalysisOptions.defaults()).canRunTogether(List.of("01", "77"));

        assertThat(result.unknownKeys()).containsExactly("77");
        assertThat(result.parallel()).isFalse();
    }

    @Test
    void idsAsTypedResolveToKeys() {
        ParallelCheck check = check(sample(), AnalysisOptions.defaults());

        assertThat(check.resolveKey("3")).contains("03");
        assertThat(check.resolveKey("03")).contains("03");
        assertThat(check.resolveKey("9")).isEmpty();
        assertThat(check.resolveKey("not an id")).isEmpty();
    }

    @Test
    void theFirstPendingWaveHoldsPendingPhasesWhoseDependenciesAreAllComplete() {
        Roadmap roadmap = roadmap()
                .phase("1").complete()
                .phase("2").dependsOn("01")
                .phase("3").dependsOn("02")
                .phase("4").plan(1).modifies("src/app.ts").and()
                .phase("5").plan(1).modifies("src/app.ts").and()
                .phase("999.1")
                .build();

        ParallelCheck check = check(roadmap, AnalysisOptions.defaults());

        assertThat(check.pendingWaves().get(0)).containsExactly("02", "04");
        assertThat(check.pendingWaves()).containsExactly(List.of("02", "04"), List.of("03", "05"));
    }
}
