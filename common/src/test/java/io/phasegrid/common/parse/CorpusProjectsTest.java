package io.phasegrid.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.PhaseReference;
import io.phasegrid.common.roadmap.PhaseStatus;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.testing.Corpus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole .planning trees from the corpus; facts checked by reading the files. */
class CorpusProjectsTest {

    private static Phase phase(Roadmap r, String key) {
        return r.phases().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }

    private static Plan plan(Phase p, String id) {
        return p.plans().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }

    private static List<String> problems(Roadmap r) {
        return r.problems().stream().map(p -> p.code() + "@" + p.source()).toList();
    }

    @Test
    void hydraProjectSummariesCompleteAPhaseAndDisagreeWithAChecklist() {
        Roadmap r = RoadmapLoader.load(Corpus.project("001TMF__HYDRA"));
        assertThat(r.phases()).hasSize(6);
        assertThat(r.config()).containsKey("mode");
        // phases/06-.../06-01..04 each have a SUMMARY; the roadmap has no checklist entry for Phase 6
        assertThat(phase(r, "06").status()).isEqualTo(PhaseStatus.COMPLETE);
        assertThat(phase(r, "06").plans()).hasSize(4).allMatch(Plan::hasSummary);
        // 03-01 has a SUMMARY but no PLAN file: still a completed plan
        assertThat(phase(r, "03").plans()).extracting(Plan::id)
                .containsExactly("03-01", "03-02", "03-03", "03-04", "03-05", "03-06");
        // "- [x] **Phase 4" (line 18) while 04-06-PLAN.md has no SUMMARY
        assertThat(problems(r)).containsExactly("STATUS_CONFLICT@.planning/ROADMAP.md:18");
        assertThat(plan(phase(r, "01"), "01-01").source().file())
                .isEqualTo(".planning/phases/01-data-infrastructure-options-math-engine/01-01-PLAN.md");
    }

    @Test
    void writProjectPlansFrontmatterAndReferences() {
        Roadmap r = RoadmapLoader.load(Corpus.project("X39__Writ").resolve(".planning"));
        assertThat(r.phases()).hasSize(41);
        assertThat(r.config()).containsEntry("parallelization", true);
        Plan p = plan(phase(r, "26"), "26-01");
        assertThat(p.declaredWave()).isEqualTo(1);
        assertThat(p.filesModified()).containsExactly("writ-runtime/src/dispatch.rs", "writ-runtime/src/domain.rs",
                "writ-cli/src/cli_host.rs");
        assertThat(p.requirements()).isEqualTo(3);
        assertThat(p.autonomous()).isTrue();
        assertThat(p.mustHaves()).isEqualTo(10); // 4 truths + 3 artifacts + 3 key_links
        assertThat(p.taskCount()).isEqualTo(2); // lines 141 and 235; the <tasks> wrapper is not a task
        // 26-03-SUMMARY.md requires "26-cli-integration-e2e-validation/26-02" (same phase) and
        // "25-il-codegen-method-bodies": only the other phase is a reference
        assertThat(plan(phase(r, "26"), "26-03").references())
                .filteredOn(ref -> ref.kind() == PhaseReference.Kind.SUMMARY_REQUIRES)
                .extracting(PhaseReference::phaseId).containsExactly("25");
        // 26-02-PLAN.md line 65: "@.planning/phases/25-il-codegen-method-bodies/25-04-SUMMARY.md"
        assertThat(plan(phase(r, "26"), "26-02").references())
                .filteredOn(ref -> ref.kind() == PhaseReference.Kind.SUMMARY_INCLUDE)
                .singleElement().satisfies(ref -> {
                    assertThat(ref.phaseId()).isEqualTo("25");
                    assertThat(ref.source().line()).isEqualTo(65);
                });
        // includes of the plan's own phase (25-03-PLAN.md includes 25-01-SUMMARY.md) are not references
        assertThat(plan(phase(r, "25"), "25-03").references())
                .noneMatch(ref -> ref.kind() == PhaseReference.Kind.SUMMARY_INCLUDE);
        assertThat(phase(r, "31").status()).isEqualTo(PhaseStatus.PENDING); // 31-02 has no SUMMARY
        // 25-03-SUMMARY.md line 18 "- expr.rs: Result built-ins: Ok->WrapOk, ..." is not valid YAML
        assertThat(problems(r)).contains(
                "INVALID_FRONTMATTER@.planning/phases/25-il-codegen-method-bodies/25-03-SUMMARY.md:18");
        assertThat(problems(r)).anyMatch(s -> s.startsWith("NOT_UTF8@.planning/phases/37-fix-spurious"));
        assertThat(plan(phase(r, "25"), "25-03").hasSummary()).isTrue();
    }

    @Test
    void getShitDoneProjectTwoFoldersForOnePhase() {
        Roadmap r = RoadmapLoader.load(Corpus.project("glittercowboy__get-shit-done"));
        assertThat(r.phases()).hasSize(17);
        assertThat(r.config()).isEmpty();
        // phases/14-dedicated-researcher-agent matches "Phase 14: Dedicated Researcher Agent"
        assertThat(problems(r)).contains("DUPLICATE_PHASE_FOLDER@.planning/phases/14-researcher-agent");
        assertThat(phase(r, "14").plans()).allSatisfy(p ->
                assertThat(p.source().file()).startsWith(".planning/phases/14-dedicated-researcher-agent/"));
        // phase 10 has only SUMMARY files (10-01..10-04)
        assertThat(phase(r, "10").plans()).hasSize(4).allMatch(Plan::hasSummary);
        // "- [x] **Phase 13" (line 23) while 13-02 and 13-03 have no SUMMARY
        assertThat(problems(r)).contains("STATUS_CONFLICT@.planning/ROADMAP.md:23");
        assertThat(plan(phase(r, "14"), "14-02").dependsOn()).containsExactly("14-01");
    }

    @Test
    void theSameTreeLoadsIdenticallyTwice() {
        assertThat(RoadmapLoader.load(Corpus.project("X39__Writ")))
                .isEqualTo(RoadmapLoader.load(Corpus.project("X39__Writ")));
    }
}
