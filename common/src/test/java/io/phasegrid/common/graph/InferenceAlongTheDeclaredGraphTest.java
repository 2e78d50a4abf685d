package io.phasegrid.common.graph;

import static io.phasegrid.common.testing.RoadmapBuilder.roadmap;
import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.analysis.InferredDependency;
import io.phasegrid.common.parse.RoadmapLoader;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.roadmap.Severity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 9, section 1: an inferred dependency never contradicts what the author wrote. */
class InferenceAlongTheDeclaredGraphTest {

    /** Fixture trees of this issue (tests run with the module folder as working directory). */
    static final Path FIXTURES = Path.of("src", "test", "resources", "issue9");

    private static Analysis analyze(Roadmap roadmap) {
        return RoadmapAnalyzer.analyze(roadmap, AnalysisOptions.defaults());
    }

    private static List<String> inferredKeys(Analysis analysis, String key) {
        return analysis.phase(key).orElseThrow().inferred().stream().map(InferredDependency::key).toList();
    }

    @Test
    void insertedPhasesThatDependOnLaterOnesAndShareTheirFilesAnalyseWithoutACycle() {
        Analysis analysis = analyze(RoadmapLoader.load(FIXTURES.resolve("later-dependency")));

        assertThat(analysis.errors()).isEmpty();
        assertThat(analysis.phase("56.7").orElseThrow().dependsOn()).containsExactly("60");
        assertThat(analysis.phase("58.1").orElseThrow().dependsOn()).containsExactly("61");
        // routes.ts: 57 and 60 are unrelated (roadmap order), 60 comes before 56.7 as declared
        assertThat(inferredKeys(analysis, "60")).containsExactly("57");
        assertThat(inferredKeys(analysis, "56.7")).isEmpty();
        assertThat(inferredKeys(analysis, "58.1")).isEmpty();
        assertThat(analysis.waves()).containsExactly(List.of("56", "61"), List.of("57", "58.1"), List.of("60"),
                List.of("56.7"));
        assertThat(analysis.warnings()).isEmpty();
    }

    @Test
    void aSharedFilePairBetweenUnrelatedPhasesFollowsATopologicalOrderOfTheDeclaredGraph() {
        // 01 waits for 03; 02 is unrelated to both. Roadmap order alone would put 01 before 02 and 02 before 03,
        // closing 01 -> 03 -> 02 -> 01; the declared graph's order (02, 03, 01) orders both pairs consistently
        Roadmap roadmap = roadmap()
                .phase("1").dependsOn("03").plan(1).modifies("a.txt").and()
                .phase("2").plan(1).modifies("a.txt", "b.txt").and()
                .phase("3").plan(1).modifies("b.txt").and()
                .build();

        Analysis analysis = analyze(roadmap);

        assertThat(analysis.errors()).isEmpty();
        assertThat(inferredKeys(analysis, "01")).containsExactly("02");
        assertThat(inferredKeys(analysis, "03")).containsExactly("02");
        assertThat(analysis.waves()).containsExactly(List.of("02"), List.of("03"), List.of("01"));
    }

    @Test
    void aSummaryReferenceThatWouldCloseACycleIsDroppedWithAWarningNamingBothPhasesAndTheLine() {
        Roadmap roadmap = roadmap()
                .phase("1").dependsOn("02").plan(1).includesSummaryOf("3").and()
                .phase("2").dependsOn("03")
                .phase("3")
                .build();

        Analysis analysis = analyze(roadmap);

        assertThat(analysis.errors()).isEmpty();
        assertThat(inferredKeys(analysis, "01")).containsExactly("03");
        assertThat(analysis.warnings()).isEmpty();

        Roadmap withoutReference = roadmap()
                .phase("1").plan(1).and()
                .phase("2").dependsOn("01")
                .phase("3").dependsOn("02").and()
                .build();
        Roadmap withReference = roadmap()
                .phase("1").plan(1).includesSummaryOf("3").and()
                .phase("2").dependsOn("01")
                .phase("3").dependsOn("02")
                .build();
        Analysis dropped = analyze(withReference);

        assertThat(dropped.errors()).isEmpty();
        assertThat(inferredKeys(dropped, "01")).isEmpty();
        assertThat(dropped.waves()).isEqualTo(analyze(withoutReference).waves());
        assertThat(dropped.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ProblemCode.FORWARD_DEPENDENCY);
            assertThat(w.source().toString()).isEqualTo(".planning/phases/01-phase/01-01-PLAN.md:12");
            assertThat(w.message()).startsWith("phase 01 would depend on later phase 03 (plan 01-01 includes ")
                    .contains("but 03 already depends on 01 (03 -> 02 -> 01)");
        });
    }

    @Test
    void aReferenceToALaterPhaseThatClosesNoCycleIsKept() {
        Roadmap roadmap = roadmap()
                .phase("1").plan(1).summaryRequires("2").and()
                .phase("2")
                .build();

        Analysis analysis = analyze(roadmap);

        assertThat(analysis.warnings()).isEmpty();
        assertThat(inferredKeys(analysis, "01")).containsExactly("02");
        assertThat(analysis.waves()).containsExactly(List.of("02"), List.of("01"));
    }

    @Test
    void pendingPhasesSharingAFileStayOrderedWhenACompletePhaseBetweenThemModifiesItToo() {
        // a run skips 02 and does not traverse it: 01 -> 02 -> 03 alone would let 01 and 03 run at once
        Roadmap roadmap = roadmap()
                .phase("1").plan(1).modifies("a.txt").and()
                .phase("2").complete().plan(1).modifies("a.txt").done().and()
                .phase("3").plan(1).modifies("a.txt").and()
                .build();

        assertThat(inferredKeys(analyze(roadmap), "03")).containsExactly("02", "01");
    }

    @Test
    void aCycleConfinedToCompletePhasesIsReportedButDoesNotStopARunOfThePendingOnes() {
        Analysis analysis = analyze(RoadmapLoader.load(FIXTURES.resolve("complete-cycle")));

        assertThat(analysis.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(ProblemCode.CYCLE);
            assertThat(error.message()).startsWith("cycle: 01 -> 02 (.planning/ROADMAP.md:")
                    .endsWith("; every phase on it is complete, so a run of the pending phases skips it");
        });
        assertThat(analysis.completePhaseErrors()).isEqualTo(analysis.errors());
        assertThat(analysis.errorsForRun(false)).isEmpty();
        assertThat(analysis.errorsForRun(true)).isEqualTo(analysis.errors());

        Analysis forRun = analysis.toleratingCompletePhaseErrors();
        assertThat(forRun.hasErrors()).isFalse();
        assertThat(forRun.warnings()).filteredOn(w -> w.code() == ProblemCode.CYCLE).singleElement()
                .extracting(Problem::severity).isEqualTo(Severity.WARNING);
        assertThat(forRun.errorsForRun(true)).isEqualTo(analysis.errors());
    }

    @Test
    void aCycleThroughAPendingPhaseStopsEveryRun() {
        Roadmap roadmap = roadmap()
                .phase("1").complete().dependsOn("02")
                .phase("2").dependsOn("01")
                .build();

        Analysis analysis = analyze(roadmap);

        assertThat(analysis.errors()).singleElement().extracting(Problem::code).isEqualTo(ProblemCode.CYCLE);
        assertThat(analysis.completePhaseErrors()).isEmpty();
        assertThat(analysis.errorsForRun(false)).isEqualTo(analysis.errors());
        assertThat(analysis.toleratingCompletePhaseErrors()).isSameAs(analysis);
    }

    @Test
    void aCycleErrorIsMadeOfDeclaredEdgesOnlyEvenWhenPhasesOnItShareFiles() {
        Roadmap roadmap = roadmap()
                .phase("1").dependsOn("02").plan(1).modifies("a.txt").and()
                .phase("2").dependsOn("01").plan(1).modifies("a.txt").and()
                .build();

        Analysis analysis = analyze(roadmap);

        assertThat(analysis.errors()).singleElement().extracting(Problem::message).asString()
                .doesNotContain("inferred");
        assertThat(analysis.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ProblemCode.FORWARD_DEPENDENCY);
            assertThat(w.message()).isEqualTo("phases 01 and 02 both modify a.txt (plans 01-01 and 02-01), but they "
                    + "are on a declared dependency cycle, so no order is inferred between them");
        });
    }
}
