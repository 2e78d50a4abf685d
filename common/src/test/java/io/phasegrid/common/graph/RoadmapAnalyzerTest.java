package io.phasegrid.common.graph;

import static io.phasegrid.common.testing.RoadmapBuilder.roadmap;
import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.analysis.AnalyzedPhase;
import io.phasegrid.common.analysis.InferredDependency;
import io.phasegrid.common.parse.RoadmapLoader;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RoadmapAnalyzerTest {

    private static final AnalysisOptions DEFAULTS = AnalysisOptions.defaults();

    private static Analysis analyze(Roadmap roadmap) {
        return RoadmapAnalyzer.analyze(roadmap, DEFAULTS);
    }

    private static List<ProblemCode> codes(List<Problem> problems) {
        return problems.stream().map(Problem::code).toList();
    }

    @Nested
    class TheGraph {

        @Test
        void isKeptInTheAnalysisWithEachEdgesRealSource() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .phase("2").dependsOn("01")
                    .phase("3").plan(1).includesSummaryOf("2").and()
                    .build();

            Analysis analysis = analyze(roadmap);
            PhaseGraph graph = analysis.graph();

            assertThat(graph.size()).isEqualTo(3);
            assertThat(graph.edgeCount()).isEqualTo(2);
            assertThat(graph.edgeKind(0)).isEqualTo(EdgeKind.DECLARED);
            assertThat(graph.edgeSource(0)).isEqualTo(roadmap.phases().get(1).dependsOn().get(0).source());
            assertThat(graph.edgeKind(1)).isEqualTo(EdgeKind.SUMMARY_INCLUDE);
            assertThat(graph.edgeSource(1)).isEqualTo(roadmap.phases().get(2).plans().get(0).references().get(0).source());
            assertThat(graph.edgeSource(1)).isNotEqualTo(roadmap.phases().get(2).source());
        }
    }

    @Nested
    class Waves {

        @Test
        void chainPlusIndependentPhaseGivesKahnLevelsNotDirectEdgeGroups() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .phase("2").dependsOn("01")
                    .phase("3").dependsOn("02")
                    .phase("4")
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.errors()).isEmpty();
            assertThat(analysis.waves()).containsExactly(List.of("01", "04"), List.of("02"), List.of("03"));
            assertThat(analysis.maxParallelism()).isEqualTo(2);
            assertThat(analysis.phases()).extracting(AnalyzedPhase::wave).containsExactly(1, 2, 3, 1);
        }

        @Test
        void aPhaseWaitsForItsDeepestDependency() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .phase("2").dependsOn("01")
                    .phase("3").dependsOn("02")
                    .phase("4").dependsOn("01", "03")
                    .build();

            assertThat(analyze(roadmap).waves())
                    .containsExactly(List.of("01"), List.of("02"), List.of("03"), List.of("04"));
        }

        @Test
        void wavesListKeysInRoadmapOrderEvenWhenDeclaredOutOfOrder() {
            Roadmap roadmap = roadmap()
                    .phase("5").dependsOn("07")
                    .phase("6")
                    .phase("7")
                    .phase("8").dependsOn("07")
                    .build();

            assertThat(analyze(roadmap).waves()).containsExactly(List.of("06", "07"), List.of("05", "08"));
        }

        @Test
        void declaredDependenciesAreReportedAsResolvedKeysOnce() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .phase("2").dependsOn("01", "01")
                    .build();

            assertThat(analyze(roadmap).phase("02").orElseThrow().dependsOn()).containsExactly("01");
        }

        @Test
        void unknownDeclaredDependencyIsAWarningAndIgnored() {
            Roadmap roadmap = roadmap().phase("1").dependsOn("42").build();

            Analysis analysis = analyze(roadmap);

            assertThat(codes(analysis.warnings())).containsExactly(ProblemCode.UNKNOWN_DEPENDENCY);
            assertThat(analysis.waves()).containsExactly(List.of("01"));
        }
    }

    @Nested
    class Cycles {

        @Test
        void cycleIsAnErrorPrintedAsAPathWithEachDependencyLine() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .phase("3").dependsOnAt(40, "05")
                    .phase("4")
                    .phase("5").dependsOnAt(61, "03")
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.errors()).singleElement().satisfies(error -> {
                assertThat(error.code()).isEqualTo(ProblemCode.CYCLE);
                assertThat(error.source()).isEqualTo(SourceRef.of(".planning/ROADMAP.md", 40));
                assertThat(error.message()).isEqualTo(
                        "cycle: 03 -> 05 (.planning/ROADMAP.md:40) -> 03 (.planning/ROADMAP.md:61)");
            });
            assertThat(analysis.waves()).isEmpty();
            assertThat(analysis.criticalPath()).isEmpty();
            assertThat(analysis.maxParallelism()).isZero();
            assertThat(analysis.phases()).allSatisfy(p -> assertThat(p.wave()).isZero());
        }

        @Test
        void phasesBehindACycleAreNotReportedAsSeparateCycles() {
            Roadmap roadmap = roadmap()
                    .phase("1").dependsOn("02")
                    .phase("2").dependsOn("01")
                    .phase("3").dependsOn("02")
                    .build();

            assertThat(analyze(roadmap).errors()).singleElement()
                    .extracting(Problem::message)
                    .isEqualTo("cycle: 01 -> 02 (.planning/ROADMAP.md:12) -> 01 (.planning/ROADMAP.md:22)");
        }

        @Test
        void disjointCyclesAreEachReported() {
            Roadmap roadmap = roadmap()
                    .phase("1").dependsOn("02")
                    .phase("2").dependsOn("01")
                    .phase("3").dependsOn("04")
                    .phase("4").dependsOn("03")
                    .build();

            assertThat(analyze(roadmap).errors()).extracting(Problem::message).containsExactly(
                    "cycle: 01 -> 02 (.planning/ROADMAP.md:12) -> 01 (.planning/ROADMAP.md:22)",
                    "cycle: 03 -> 04 (.planning/ROADMAP.md:32) -> 03 (.planning/ROADMAP.md:42)");
        }

        @Test
        void aSharedFileNeverClosesACycleWithADeclaredDependencyOnALaterPhase() {
            // issue 9: 01 declares it depends on later phase 02 and both modify the same file; roadmap order would
            // put 02 after 01 and close "cycle: 01 -> 02 (ROADMAP.md:7) -> 01 (inferred: both modify ...)"
            Roadmap roadmap = roadmap()
                    .phase("1").dependsOnAt(7, "02")
                    .plan(1).modifies("src/app.ts").and()
                    .phase("2")
                    .plan(1).modifies("src/app.ts").and()
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.errors()).isEmpty();
            assertThat(analysis.warnings()).isEmpty();
            assertThat(analysis.waves()).containsExactly(List.of("02"), List.of("01"));
            assertThat(analysis.phase("01").orElseThrow().inferred()).as("the declared edge already orders them")
                    .isEmpty();
        }
    }

    @Nested
    class Inference {

        @Test
        void summaryIncludeOfAnEarlierPhaseBecomesAnInferredDependency() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .phase("2")
                    .plan(1).includesSummaryOf("1").and()
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.phase("02").orElseThrow().inferred()).containsExactly(new InferredDependency("01",
                    "plan 02-01 includes @.planning/phases/01-phase/01-01-SUMMARY.md "
                            + "(.planning/phases/02-phase/02-01-PLAN.md:12)"));
            assertThat(analysis.waves()).containsExactly(List.of("01"), List.of("02"));
        }

        @Test
        void summaryRequiresBecomesAnInferredDependency() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .phase("2")
                    .plan(1).summaryRequires("1").and()
                    .build();

            assertThat(analyze(roadmap).phase("02").orElseThrow().inferred()).singleElement()
                    .satisfies(d -> {
                        assertThat(d.key()).isEqualTo("01");
                        assertThat(d.reason()).startsWith("plan 02-01 summary requires phase 01")
                                .contains("02-01-SUMMARY.md:4");
                    });
        }

        @Test
        void plansOfDifferentPhasesModifyingTheSameFileAreOrderedByPhaseOrder() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .plan(1).modifies("README.md").and()
                    .phase("2")
                    .plan(1).modifies("docs/a.md").plan(2).modifies("src/app.ts").and()
                    .phase("3")
                    .plan(1).modifies("src/app.ts").and()
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.phase("03").orElseThrow().inferred()).containsExactly(
                    new InferredDependency("02", "both modify src/app.ts (plans 02-02 and 03-01)"));
            assertThat(analysis.waves()).containsExactly(List.of("01", "02"), List.of("03"));
        }

        @Test
        void aFileSharedByManyPhasesChainsThemInRoadmapOrder() {
            Roadmap roadmap = roadmap()
                    .phase("1").plan(1).modifies("package.json").and()
                    .phase("2").plan(1).modifies("package.json").and()
                    .phase("3").plan(1).modifies("package.json").and()
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.waves()).containsExactly(List.of("01"), List.of("02"), List.of("03"));
            assertThat(analysis.phase("03").orElseThrow().inferred()).extracting(InferredDependency::key)
                    .containsExactly("02");
        }

        @Test
        void anInferredDependencyThatDuplicatesADeclaredOneIsNotRepeated() {
            Roadmap roadmap = roadmap()
                    .phase("1").plan(1).modifies("a.txt").and()
                    .phase("2").dependsOn("01").plan(1).modifies("a.txt").includesSummaryOf("1").and()
                    .build();

            AnalyzedPhase second = analyze(roadmap).phase("02").orElseThrow();

            assertThat(second.dependsOn()).containsExactly("01");
            assertThat(second.inferred()).isEmpty();
        }

        @Test
        void twoReasonsForTheSameInferredDependencyKeepTheFirst() {
            Roadmap roadmap = roadmap()
                    .phase("1").plan(1).modifies("a.txt").and()
                    .phase("2").plan(1).modifies("a.txt").includesSummaryOf("1").and()
                    .build();

            assertThat(analyze(roadmap).phase("02").orElseThrow().inferred()).singleElement()
                    .extracting(InferredDependency::reason).asString().startsWith("plan 02-01 includes");
        }

        @Test
        void aReferenceToALaterPhaseIsSkippedWithAForwardDependencyWarning() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .plan(1).summaryRequires("2").and()
                    .phase("2").dependsOn("01")
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.errors()).isEmpty();
            assertThat(analysis.phase("01").orElseThrow().inferred()).isEmpty();
            assertThat(analysis.warnings()).singleElement().satisfies(w -> {
                assertThat(w.code()).isEqualTo(ProblemCode.FORWARD_DEPENDENCY);
                assertThat(w.source().file()).isEqualTo(".planning/phases/01-phase/01-01-SUMMARY.md");
                assertThat(w.message()).contains("later phase 02");
            });
            assertThat(analysis.waves()).containsExactly(List.of("01"), List.of("02"));
        }

        @Test
        void selfReferencesAreIgnored() {
            Roadmap roadmap = roadmap().phase("1").plan(1).includesSummaryOf("1").and().build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.phase("01").orElseThrow().inferred()).isEmpty();
            assertThat(analysis.warnings()).isEmpty();
        }

        @Test
        void referencesResolveWithinTheSameMilestoneFirst() {
            Roadmap roadmap = roadmap()
                    .phase("1").key("v1/01").milestone("v1")
                    .phase("2").key("v1/02").milestone("v1")
                    .phase("1").key("v2/01").milestone("v2")
                    .phase("2").key("v2/02").milestone("v2").plan(1).includesSummaryOf("1").and()
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.phase("v2/02").orElseThrow().inferred()).extracting(InferredDependency::key)
                    .containsExactly("v2/01");
            assertThat(codes(analysis.warnings())).doesNotContain(ProblemCode.AMBIGUOUS_DEPENDENCY);
        }

        @Test
        void anAmbiguousReferenceResolvesToTheNearestPrecedingPhaseAndSaysSo() {
            Roadmap roadmap = roadmap()
                    .phase("1").key("a/01").milestone("a")
                    .phase("1").key("b/01").milestone("b")
                    .phase("5").milestone("c").plan(1).includesSummaryOf("1").and()
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.phase("05").orElseThrow().inferred()).extracting(InferredDependency::key)
                    .containsExactly("b/01");
            assertThat(analysis.warnings()).singleElement().satisfies(w -> {
                assertThat(w.code()).isEqualTo(ProblemCode.AMBIGUOUS_DEPENDENCY);
                assertThat(w.message()).contains("using b/01, the nearest preceding one");
            });
        }

        @Test
        void aReferenceToAnUnknownPhaseIsAWarning() {
            Roadmap roadmap = roadmap().phase("1").plan(1).includesSummaryOf("9").and().build();

            assertThat(codes(analyze(roadmap).warnings())).containsExactly(ProblemCode.UNKNOWN_DEPENDENCY);
        }

        @Test
        void inferenceCanBeSwitchedOff() {
            Roadmap roadmap = roadmap()
                    .phase("1").plan(1).modifies("a.txt").and()
                    .phase("2").plan(1).modifies("a.txt").includesSummaryOf("1").and()
                    .build();

            Analysis analysis = RoadmapAnalyzer.analyze(roadmap, DEFAULTS.withInferDependencies(false));

            assertThat(analysis.phases()).allSatisfy(p -> assertThat(p.inferred()).isEmpty());
            assertThat(analysis.waves()).containsExactly(List.of("01", "02"));
        }
    }

    @Nested
    class PendingAndBacklog {

        @Test
        void pendingOnlyLeavesCompletePhasesOutAndCountsThemAsSatisfied() {
            Roadmap roadmap = roadmap()
                    .phase("1").complete()
                    .phase("2").dependsOn("01")
                    .phase("3").dependsOn("02")
                    .phase("4").dependsOn("01")
                    .build();

            Analysis pending = RoadmapAnalyzer.analyze(roadmap, DEFAULTS.withPendingOnly(true));
            Analysis everything = analyze(roadmap);

            assertThat(pending.waves()).containsExactly(List.of("02", "04"), List.of("03"));
            assertThat(pending.phase("01").orElseThrow().wave()).isZero();
            assertThat(pending.criticalPath()).containsExactly("02", "03");
            assertThat(everything.waves()).containsExactly(List.of("01"), List.of("02", "04"), List.of("03"));
            assertThat(everything.criticalPath()).containsExactly("01", "02", "03");
        }

        @Test
        void backlogPhasesAreNotScheduledAndDependingOnOneIsAWarning() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .phase("999.1")
                    .phase("2").dependsOn("01", "999.1")
                    .phase("999.2").dependsOn("02")
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.waves()).containsExactly(List.of("01"), List.of("02"));
            assertThat(analysis.phase("999.1").orElseThrow().wave()).isZero();
            assertThat(analysis.phase("999.2").orElseThrow().wave()).isZero();
            assertThat(analysis.warnings()).singleElement().satisfies(w -> {
                assertThat(w.code()).isEqualTo(ProblemCode.BACKLOG_DEPENDENCY);
                assertThat(w.message()).contains("02", "999.1");
            });
        }

        @Test
        void aDeclaredDependencyOnABacklogPhaseIsReportedOnceNotByBothParserAndAnalyzer() {
            Roadmap roadmap = RoadmapLoader.parse("ROADMAP.md", """
                    ## Phase 1: Core
                    **Goal**: build it
                    **Depends on**: Phase 999.1

                    ## Phase 999.1: Someday
                    **Goal**: later
                    """);

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.warnings()).singleElement().satisfies(w -> {
                assertThat(w.code()).isEqualTo(ProblemCode.BACKLOG_DEPENDENCY);
                assertThat(w.source()).isEqualTo(SourceRef.of("ROADMAP.md", 3));
                assertThat(w.message()).contains("01", "999.1");
            });
        }

        @Test
        void anInferredDependencyOnABacklogPhaseIsAlsoAWarning() {
            Roadmap roadmap = roadmap()
                    .phase("999.1")
                    .phase("1").plan(1).includesSummaryOf("999.1").and()
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(codes(analysis.warnings())).containsExactly(ProblemCode.BACKLOG_DEPENDENCY);
            assertThat(analysis.waves()).containsExactly(List.of("01"));
        }

        @Test
        void backlogPhasesTakeNoPartInSharedFileOrdering() {
            Roadmap roadmap = roadmap()
                    .phase("1").plan(1).modifies("a.txt").and()
                    .phase("999.1").plan(1).modifies("a.txt").and()
                    .phase("2").plan(1).modifies("a.txt").and()
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.phase("02").orElseThrow().inferred()).extracting(InferredDependency::key)
                    .containsExactly("01");
            assertThat(analysis.warnings()).isEmpty();
        }

        @Test
        void underPendingOnlyCompletePhasesTakeNoPartInSharedFileOrdering() {
            Roadmap roadmap = roadmap()
                    .phase("1").complete().plan(1).modifies("a.txt").and()
                    .phase("2").plan(1).modifies("a.txt").and()
                    .phase("3").plan(1).modifies("a.txt").and()
                    .build();

            Analysis analysis = RoadmapAnalyzer.analyze(roadmap, DEFAULTS.withPendingOnly(true));

            assertThat(analysis.phase("02").orElseThrow().inferred()).isEmpty();
            assertThat(analysis.waves()).containsExactly(List.of("02"), List.of("03"));
        }

        @Test
        void aCycleAmongCompletePhasesIsStillAnErrorUnderPendingOnly() {
            Roadmap roadmap = roadmap()
                    .phase("1").complete().dependsOn("02")
                    .phase("2").complete().dependsOn("01")
                    .phase("3")
                    .build();

            Analysis analysis = RoadmapAnalyzer.analyze(roadmap, DEFAULTS.withPendingOnly(true));

            assertThat(codes(analysis.errors())).containsExactly(ProblemCode.CYCLE);
        }

        @Test
        void aCycleThroughTheBacklogDoesNotStopTheRoadmap() {
            Roadmap roadmap = roadmap()
                    .phase("1")
                    .phase("999.1").dependsOn("999.2")
                    .phase("999.2").dependsOn("999.1")
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.errors()).isEmpty();
            assertThat(analysis.waves()).containsExactly(List.of("01"));
        }
    }

    @Nested
    class CriticalPathAndEstimates {

        @Test
        void criticalPathIsTheChainWithTheMostEstimatedTokens() {
            Roadmap roadmap = roadmap()
                    .phase("1").plan(1).tokens(10_000).and()
                    .phase("2").dependsOn("01").plan(1).tokens(5_000).and()
                    .phase("3").plan(1).tokens(30_000).and()
                    .phase("4").dependsOn("02", "03").plan(1).tokens(1_000).and()
                    .build();

            Analysis analysis = analyze(roadmap);

            assertThat(analysis.criticalPath()).containsExactly("03", "04");
            assertThat(analysis.criticalPathTokens()).isEqualTo(31_000);
            assertThat(CriticalPath.of(analysis)).isEqualTo(new CriticalPath(List.of("03", "04"), 31_000));
        }

        @Test
        void equalTokensPreferTheChainWithMorePhases() {
            Roadmap roadmap = roadmap()
                    .phase("1").plan(1).tokens(20_000).and()
                    .phase("2").plan(1).tokens(10_000).and()
                    .phase("3").dependsOn("02").plan(1).tokens(10_000).and()
                    .build();

            assertThat(analyze(roadmap).criticalPath()).containsExactly("02", "03");
        }

        @Test
        void completelyEqualChainsPreferRoadmapOrder() {
            Roadmap roadmap = roadmap()
                    .phase("1").phase("2").phase("3").dependsOn("01", "02")
                    .build();

            assertThat(analyze(roadmap).criticalPath()).containsExactly("01", "03");
        }

        @Test
        void phasesWithoutPlanEstimatesUseTheFormula() {
            Roadmap roadmap = roadmap().phase("1").requirements(3).successCriteria(4).build();

            assertThat(analyze(roadmap).phases().get(0).estimatedTokens()).isEqualTo(10_000 + 3_000 + 2_000);
        }
    }

    @Nested
    class Problems {

        @Test
        void anEmptyRoadmapIsANoPhasesError() {
            Analysis analysis = analyze(roadmap().build());

            assertThat(codes(analysis.errors())).containsExactly(ProblemCode.NO_PHASES);
            assertThat(analysis.waves()).isEmpty();
        }

        @Test
        void parserProblemsAreCarriedOverBySeverity() {
            Roadmap roadmap = roadmap()
                    .problem(Problem.of(ProblemCode.DUPLICATE_PHASE_ID, SourceRef.of("R.md", 3), "twice"))
                    .problem(Problem.of(ProblemCode.INPUT_TOO_LARGE, SourceRef.of("R.md", 0), "too big"))
                    .phase("1").build();

            Analysis analysis = analyze(roadmap);

            assertThat(codes(analysis.warnings())).containsExactly(ProblemCode.DUPLICATE_PHASE_ID);
            assertThat(codes(analysis.errors())).containsExactly(ProblemCode.INPUT_TOO_LARGE);
            assertThat(analysis.waves()).isEmpty();
        }

        @Test
        void theSameRoadmapGivesTheSameAnalysis() {
            Roadmap roadmap = roadmap()
                    .phase("1").plan(1).modifies("x", "y").and()
                    .phase("2").plan(1).modifies("y", "x").includesSummaryOf("1").and()
                    .phase("3").dependsOn("02").plan(1).modifies("x").and()
                    .build();

            assertThat(analyze(roadmap)).isEqualTo(analyze(roadmap));
        }
    }
}
