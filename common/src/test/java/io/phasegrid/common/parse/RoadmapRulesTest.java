package io.phasegrid.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.roadmap.Dependency;
import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.PhaseStatus;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.Roadmap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each parsing rule of docs/parsing.md on a small fixture of its own. */
class RoadmapRulesTest {

    private static Roadmap parse(String... lines) {
        return RoadmapLoader.parse("ROADMAP.md", String.join("\n", lines));
    }

    private static Phase phase(Roadmap r, String key) {
        return r.phases().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow(
                () -> new AssertionError("no phase " + key + " in " + r.phases().stream().map(Phase::key).toList()));
    }

    private static List<String> deps(Roadmap r, String key) {
        return phase(r, key).dependsOn().stream().map(Dependency::key).toList();
    }

    private static List<ProblemCode> codes(Roadmap r) {
        return r.problems().stream().map(Problem::code).toList();
    }

    @Test
    void headingsLevelTwoToFourAtLineStartOnly() {
        Roadmap r = parse("## Phase 1: A", "### Phase 2: B", "#### Phase 3: C", "##### Phase 4: D", " ## Phase 5: E",
                "text ## Phase 6: F");
        assertThat(r.phases()).extracting(Phase::key).containsExactly("01", "02", "03");
    }

    @Test
    void bothDependsOnSpellings() {
        Roadmap r = parse("### Phase 1: A", "### Phase 2: B", "**Depends on**: Phase 1", "### Phase 3: C",
                "**Depends on:** Phase 2");
        assertThat(deps(r, "02")).containsExactly("01");
        assertThat(deps(r, "03")).containsExactly("02");
    }

    @Test
    void goalRequirementsAndSuccessCriteria() {
        Roadmap r = parse("### Phase 1: Auth", "**Goal:** Users log in", "**Requirements**: AUTH-01, AUTH-02, OTEL-01..03",
                "**Success Criteria** (what must be TRUE):", "  1. one", "     more of one", "  2. two", "     - nested",
                "  3. three", "**Plans**: 1 plan");
        Phase p = phase(r, "01");
        assertThat(p.goal()).isEqualTo("Users log in");
        assertThat(p.requirementCount()).isEqualTo(5);
        assertThat(p.successCriterionCount()).isEqualTo(3);
        assertThat(p.source().line()).isEqualTo(1);
    }

    @Test
    void checklistAndDetailHeadingAreOnePhaseSilently() {
        Roadmap r = parse("- [x] **Phase 1: Setup** - scaffold", "", "### Phase 1: Setup", "**Goal**: g");
        assertThat(r.phases()).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(PhaseStatus.COMPLETE);
            assertThat(p.source().line()).isEqualTo(3);
        });
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void aPhaseWithoutDetailSectionIsLocatedAtItsChecklistLine() {
        Roadmap r = parse("# Roadmap", "- [ ] Phase 7: Later (0/2 plans) \u2014 planned");
        assertThat(phase(r, "07").source().line()).isEqualTo(2);
        assertThat(phase(r, "07").name()).isEqualTo("Later");
        assertThat(phase(r, "07").status()).isEqualTo(PhaseStatus.PENDING);
    }

    @Test
    void identicalIdAndNameDefinedTwiceIsOnePhaseWithAWarning() {
        Roadmap r = parse("## A", "### Phase 3: Same", "## B", "### Phase 3: Same");
        assertThat(r.phases()).hasSize(1);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.DUPLICATE_PHASE_DEFINITION);
            assertThat(p.source().line()).isEqualTo(4);
        });
    }

    @Test
    void differentPhasesUnderOneIdAreNeverMerged() {
        Roadmap r = parse("### Phase 3: Alpha", "### Phase 3: Beta", "### Phase 4: Gamma", "**Depends on**: Phase 3");
        assertThat(r.phases()).extracting(Phase::key).containsExactly("03", "03#2", "04");
        assertThat(codes(r)).contains(ProblemCode.DUPLICATE_PHASE_ID, ProblemCode.AMBIGUOUS_DEPENDENCY);
        assertThat(deps(r, "04")).containsExactly("03#2");
    }

    @Test
    void numberingThatRestartsPerMilestoneIsQualifiedAndResolvedWithinTheMilestone() {
        Roadmap r = parse("## v1.0 First", "### Phase 1: Setup", "### Phase 2: Build", "**Depends on**: Phase 1",
                "## v2.0 Second", "### Phase 1: Redo", "### Phase 2: Ship", "**Depends on**: Phase 1");
        assertThat(r.phases()).extracting(Phase::key).containsExactly("v1.0/01", "v1.0/02", "v2.0/01", "v2.0/02");
        assertThat(deps(r, "v1.0/02")).containsExactly("v1.0/01");
        assertThat(deps(r, "v2.0/02")).containsExactly("v2.0/01");
        assertThat(r.problems()).filteredOn(p -> p.code() == ProblemCode.NUMBERING_RESTART)
                .singleElement().satisfies(p -> assertThat(p.source().line()).isEqualTo(6));
        assertThat(r.problems()).filteredOn(p -> p.code() == ProblemCode.AMBIGUOUS_DEPENDENCY)
                .allSatisfy(p -> assertThat(p.message()).contains("same milestone"));
    }

    @Test
    void aPhaseNamingItsOwnIdIsASelfReferenceEvenWhenAnEarlierMilestoneHasThatId() {
        Roadmap r = parse("## v1.0 First", "### Phase 3: Old", "## v2.0 Second", "### Phase 3: New",
                "**Depends on**: Phase 3");
        assertThat(r.phases()).extracting(Phase::key).containsExactly("v1.0/03", "v2.0/03");
        assertThat(deps(r, "v2.0/03")).isEmpty();
        assertThat(r.problems()).filteredOn(p -> p.code() == ProblemCode.SELF_DEPENDENCY)
                .singleElement().satisfies(p -> {
                    assertThat(p.source().line()).isEqualTo(5);
                    assertThat(p.message()).contains("v2.0/03", "itself");
                });
        assertThat(codes(r)).doesNotContain(ProblemCode.AMBIGUOUS_DEPENDENCY);
    }

    @Test
    void collapsedDetailsAreHistoryUnlessTheSummarySaysOtherwise() {
        Roadmap r = parse("<details>", "<summary>v1.0 MVP (Phases 1-2) - SHIPPED</summary>", "",
                "### Phase 1: Old", "Phase 2: Older -- listed only", "</details>", "<details>",
                "<summary>\uD83D\uDCCB v2.0 Next (Phases 3) \u2014 QUEUED</summary>", "### Phase 3: Queued", "</details>");
        assertThat(phase(r, "01").status()).isEqualTo(PhaseStatus.COMPLETE);
        assertThat(phase(r, "01").milestone()).isEqualTo("v1.0");
        assertThat(phase(r, "02").status()).isEqualTo(PhaseStatus.COMPLETE);
        assertThat(phase(r, "03").status()).isEqualTo(PhaseStatus.PENDING);
        assertThat(phase(r, "03").milestone()).isEqualTo("v2.0");
    }

    @Test
    void backlogIdsAndBacklogSections() {
        Roadmap r = parse("### Phase 1: Now", "## Backlog", "### Phase 999.1: Idea", "### Phase 999.10: Later idea");
        assertThat(phase(r, "999.1").status()).isEqualTo(PhaseStatus.BACKLOG);
        assertThat(phase(r, "999.10").status()).isEqualTo(PhaseStatus.BACKLOG);
        assertThat(phase(r, "01").status()).isEqualTo(PhaseStatus.PENDING);
    }

    @Test
    void selfMilestoneExternalAndUnknownReferencesAddNoEdge() {
        Roadmap r = parse("### Phase 1: A", "**Depends on**: Phase 1", "### Phase 2: B", "**Depends on**: v1.4 complete",
                "### Phase 3: C", "**Depends on**: api-repo Phase 5", "### Phase 4: D", "**Depends on**: Phase 42");
        assertThat(r.phases()).allSatisfy(p -> assertThat(p.dependsOn()).isEmpty());
        assertThat(r.problems()).extracting(p -> p.code() + "@" + p.source().line()).containsExactly(
                "SELF_DEPENDENCY@2", "MILESTONE_DEPENDENCY@4", "EXTERNAL_DEPENDENCY@6", "UNKNOWN_DEPENDENCY@8");
    }

    @Test
    void garbledRangeIsReadAsARangeWithAWarning() {
        Roadmap r = parse("### Phase 5: A", "### Phase 6: B", "### Phase 7: C", "**Depends on**: Phases 5\u00e2\u20ac\u201c6");
        assertThat(deps(r, "07")).containsExactly("05", "06");
        assertThat(codes(r)).containsExactly(ProblemCode.GARBLED_RANGE);
    }

    @Test
    void multiLevelDecimalIdsAndTheirOrderInTheDocument() {
        Roadmap r = parse("### Phase 82.7: A", "### Phase 82.7.1: B", "**Depends on**: Phase 82.7");
        assertThat(deps(r, "82.7.1")).containsExactly("82.7");
    }

    @Test
    void headingsInsideCodeFencesAreNotPhases() {
        Roadmap r = parse("### Phase 1: Real", "```", "### Phase 2: Example", "```");
        assertThat(r.phases()).extracting(Phase::key).containsExactly("01");
    }

    @Test
    void emptyTextHasNoPhases() {
        Roadmap r = RoadmapLoader.parse("ROADMAP.md", "");
        assertThat(r.phases()).isEmpty();
        assertThat(codes(r)).containsExactly(ProblemCode.NO_PHASES);
        assertThat(r.hasErrors()).isTrue();
    }

    @Test
    void theSameInputGivesTheSameResult() {
        String text = "### Phase 3: A\n### Phase 3: B\n### Phase 4: C\n**Depends on**: Phases 1-3, Phase 9\n";
        assertThat(RoadmapLoader.parse("R.md", text)).isEqualTo(RoadmapLoader.parse("R.md", text));
    }
}
