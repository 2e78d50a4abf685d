package io.phasegrid.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.roadmap.Dependency;
import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.PhaseStatus;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.testing.Corpus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Facts checked by reading each corpus roadmap by hand; each test names its file. */
class CorpusRoadmapsTest {

    private static Roadmap load(String file) {
        Roadmap r = RoadmapLoader.load(Corpus.roadmap(file));
        assertThat(r.hasErrors()).as("errors in " + file + ": " + r.problems()).isFalse();
        assertThat(r.problems()).allSatisfy(p -> assertThat(p.source().file()).isEqualTo(file));
        return r;
    }

    private static Phase phase(Roadmap r, String key) {
        return r.phases().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }

    private static List<String> deps(Roadmap r, String key) {
        return phase(r, key).dependsOn().stream().map(Dependency::key).toList();
    }

    private static List<String> problems(Roadmap r) {
        return r.problems().stream().map(p -> p.code() + "@" + p.source().line()).toList();
    }

    @Test
    void hydra() {
        Roadmap r = load("001TMF__HYDRA__ROADMAP.md");
        assertThat(r.phases()).hasSize(6);
        assertThat(deps(r, "01")).isEmpty(); // "Nothing (first phase)"
        assertThat(deps(r, "02")).containsExactly("01");
        assertThat(phase(r, "01").requirementCount()).isEqualTo(11);
        assertThat(phase(r, "01").successCriterionCount()).isEqualTo(5);
        assertThat(phase(r, "04").status()).isEqualTo(PhaseStatus.COMPLETE);
        assertThat(phase(r, "06").status()).isEqualTo(PhaseStatus.PENDING);
        assertThat(phase(r, "06").source().line()).isEqualTo(141);
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void wBlockDetailsHistoryAndFirstPhaseOfMilestone() {
        Roadmap r = load("0xCUB3__wBlock__ROADMAP.md");
        assertThat(r.phases()).hasSize(12);
        assertThat(phase(r, "06").milestone()).isEqualTo("v1.0");
        assertThat(phase(r, "09").status()).isEqualTo(PhaseStatus.COMPLETE);
        assertThat(deps(r, "10")).isEmpty(); // "Nothing (first phase of v1.2)"
        assertThat(deps(r, "12")).containsExactly("11");
    }

    @Test
    void synthexMilestoneDependenciesAndRanges() {
        Roadmap r = load("CleanExpo__Synthex__ROADMAP.md");
        assertThat(r.phases()).hasSize(117);
        // "**Depends on**: v1.1 complete" (line 201) ... "v2.0 complete" (line 973)
        assertThat(problems(r)).containsExactly("MILESTONE_DEPENDENCY@201", "MILESTONE_DEPENDENCY@335",
                "MILESTONE_DEPENDENCY@420", "MILESTONE_DEPENDENCY@599", "MILESTONE_DEPENDENCY@728",
                "MILESTONE_DEPENDENCY@973");
        assertThat(deps(r, "87")).containsExactly("85", "86"); // "Phase 85, Phase 86"
        assertThat(deps(r, "99")).hasSize(14).startsWith("85").endsWith("98"); // "Phases 85-98"
        assertThat(deps(r, "114")).containsExactly("113"); // "Phase 113 (v7.0 complete)"
        assertThat(deps(r, "117")).containsExactly("114", "115", "116");
        assertThat(phase(r, "53").status()).isEqualTo(PhaseStatus.PENDING); // "- [~] **Phase 53"
        assertThat(phase(r, "66").status()).isEqualTo(PhaseStatus.COMPLETE); // under "### ✅ v2.0 ... (SHIPPED"
        assertThat(phase(r, "114").status()).isEqualTo(PhaseStatus.PENDING);
    }

    @Test
    void carambusInsertedDecimalsLettersAndBacklog() {
        Roadmap r = load("GernotUllrich__carambus__ROADMAP.md");
        assertThat(r.phases()).hasSize(20);
        assertThat(r.phases()).extracting(Phase::key).contains("36A", "36B", "36C", "38.9", "999.2");
        assertThat(deps(r, "38.3")).containsExactly("38.2"); // "Phase 38.2 (Plan 38.2-01 ...; Plans 38.2-02 ...)"
        assertThat(deps(r, "39")).containsExactly("38");
        assertThat(phase(r, "999.1").status()).isEqualTo(PhaseStatus.BACKLOG);
        assertThat(phase(r, "999.1").source().line()).isEqualTo(277);
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void pikarQueuedDetailsAreNotHistory() {
        Roadmap r = load("Mrjoel97__PIKAR-AI__ROADMAP.md");
        assertThat(r.phases()).hasSize(62);
        assertThat(phase(r, "01").status()).isEqualTo(PhaseStatus.COMPLETE);
        // "<summary>📋 v13.0 ... — QUEUED 2026-05-08</summary>"
        assertThat(phase(r, "101").status()).isEqualTo(PhaseStatus.PENDING);
        assertThat(phase(r, "101").milestone()).isEqualTo("v13.0");
        assertThat(deps(r, "108")).containsExactly("104", "105", "106", "107");
        assertThat(deps(r, "95")).isEmpty(); // "none (stands alone — first phase of v12.0)"
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void orqaiBacklogDependsOnAMissingPhase() {
        Roadmap r = load("NCrutzen__orqai-agent-pipeline__ROADMAP__latest.md");
        assertThat(r.phases()).hasSize(26);
        assertThat(phase(r, "999.10").status()).isEqualTo(PhaseStatus.BACKLOG);
        // "**Depends on:** Phase 81 (fold Stage 1 into stage-keyed shell). The UI filter chips ..."
        assertThat(problems(r)).containsExactly("UNKNOWN_DEPENDENCY@431");
    }

    @Test
    void localizationToolsDetailsWithHeadings() {
        Roadmap r = load("NeilVibe__LocalizationTools__ROADMAP.md");
        assertThat(r.phases()).hasSize(18);
        assertThat(deps(r, "99")).containsExactly("98");
        assertThat(deps(r, "87")).containsExactly("86");
        assertThat(phase(r, "83").status()).isEqualTo(PhaseStatus.COMPLETE);
        assertThat(phase(r, "83").milestone()).isEqualTo("v11.0");
        assertThat(phase(r, "93").status()).isEqualTo(PhaseStatus.PENDING);
    }

    @Test
    void rondoPreviousMilestoneIsNotAPhase() {
        Roadmap r = load("RondoHQ__rondo-club__ROADMAP.md");
        assertThat(r.phases()).hasSize(52);
        assertThat(problems(r)).containsExactly("MILESTONE_DEPENDENCY@38", "MILESTONE_DEPENDENCY@356");
        assertThat(deps(r, "51")).containsExactly("49", "50");
        assertThat(phase(r, "21").status()).isEqualTo(PhaseStatus.COMPLETE); // "#### Phase 21: PHPUnit Setup ✓"
        assertThat(phase(r, "21").name()).isEqualTo("PHPUnit Setup");
    }

    @Test
    void writInsertedPhases() {
        Roadmap r = load("X39__Writ__ROADMAP.md");
        assertThat(r.phases()).hasSize(41);
        assertThat(deps(r, "30")).containsExactly("29"); // "Phase 29 (v3.0 complete)"
        assertThat(deps(r, "37")).containsExactly("31.2");
        assertThat(phase(r, "31").status()).isEqualTo(PhaseStatus.PENDING);
        assertThat(phase(r, "31.1").status()).isEqualTo(PhaseStatus.COMPLETE);
        assertThat(phase(r, "25").milestone()).isEqualTo("v3.0");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void intlDossierSeveralPhasesWithRemarks() {
        Roadmap r = load("alzahrani-khalid__Intl-Dossier-V2.0__ROADMAP.md");
        assertThat(r.phases()).hasSize(43);
        // "Phase 33 (tokens), Phase 34 (Tweaks button lives in the topbar), Phase 35 (brand + nav typography)"
        assertThat(deps(r, "36")).containsExactly("33", "34", "35");
        assertThat(deps(r, "43")).hasSize(10);
        assertThat(phase(r, "38").status()).isEqualTo(PhaseStatus.COMPLETE);
        assertThat(phase(r, "38").name()).isEqualTo("dashboard-verbatim");
        assertThat(phase(r, "33").status()).isEqualTo(PhaseStatus.PENDING);
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void velesDb() {
        Roadmap r = load("cyberlife-coder__VelesDB__ROADMAP.md");
        assertThat(r.phases()).hasSize(16);
        assertThat(deps(r, "11")).containsExactly("03");
        assertThat(deps(r, "12")).isEmpty(); // "Nothing (housekeeping)"
        assertThat(deps(r, "16")).containsExactly("14");
        assertThat(phase(r, "01").status()).isEqualTo(PhaseStatus.PENDING);
    }

    @Test
    void velesDbEarlyDependenciesSection() {
        Roadmap r = load("cyberlife-coder__VelesDB__ROADMAP__early.md");
        assertThat(r.phases()).hasSize(6);
        assertThat(deps(r, "02")).containsExactly("01"); // "### Dependencies" then "- Phase 1 (RUST-02 ...)"
        assertThat(deps(r, "03")).containsExactly("02");
        assertThat(problems(r)).containsExactly("UNPARSED_DEPENDENCY@281"); // "All previous phases"
    }

    @Test
    void neotolisPlainLinesInDetailsAndMilestoneRanges() {
        Roadmap r = load("d954mas__neotolis-engine__ROADMAP.md");
        assertThat(r.phases()).hasSize(29);
        assertThat(phase(r, "01").status()).isEqualTo(PhaseStatus.COMPLETE); // "Phase 1: Project Scaffold -- ..."
        assertThat(deps(r, "22")).isEmpty(); // "Nothing (independent of Phases 20-21; ...)"
        assertThat(deps(r, "25")).containsExactly("24", "21", "23");
        assertThat(deps(r, "29")).containsExactly("25"); // "Phase 25 (modifies ... from Phases 24-25)"
        assertThat(phase(r, "12").milestone()).isEqualTo("v1.2");
        assertThat(phase(r, "20").milestone()).isEqualTo("v1.3");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void getShitDone() {
        Roadmap r = load("glittercowboy__get-shit-done__ROADMAP.md");
        assertThat(r.phases()).hasSize(17);
        assertThat(deps(r, "99")).isEmpty();
        assertThat(deps(r, "10")).containsExactly("09");
        assertThat(phase(r, "01").status()).isEqualTo(PhaseStatus.PENDING);
        assertThat(phase(r, "16").status()).isEqualTo(PhaseStatus.COMPLETE);
    }

    @Test
    void hexDiPlanBoxes() {
        Roadmap r = load("hex-di__hex-di__ROADMAP.md");
        assertThat(r.phases()).extracting(Phase::key).containsExactly("23", "24", "25", "26", "27", "28", "29", "30",
                "31");
        assertThat(phase(r, "23").status()).isEqualTo(PhaseStatus.COMPLETE); // all 8 plan boxes [x]
        assertThat(phase(r, "31").status()).isEqualTo(PhaseStatus.PENDING); // 2 of 4 plan boxes
    }

    @Test
    void ollorinPhaseListedInOneMilestoneAndDetailedInAnother() {
        Roadmap r = load("ollorin__get-shit-done__ROADMAP.md");
        assertThat(r.phases()).hasSize(42);
        assertThat(r.phases()).filteredOn(p -> p.id().normalized().equals("33")).hasSize(1);
        assertThat(deps(r, "33")).containsExactly("32");
        assertThat(deps(r, "43")).containsExactly("40"); // "Phase 40 (v1.12.0 complete — independent of ...)"
        assertThat(phase(r, "08.1").status()).isEqualTo(PhaseStatus.COMPLETE);
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void outsignal() {
        Roadmap r = load("outsignal__outsignal-agents__ROADMAP.md");
        assertThat(r.phases()).hasSize(78);
        assertThat(deps(r, "67")).containsExactly("64", "65", "66");
        assertThat(deps(r, "62")).containsExactly("61"); // line 728: "Phase 61 (shared memory ...)"
        assertThat(deps(r, "36")).containsExactly("34"); // line 269: "Phase 34 (LinkedIn data layer ...)"
        assertThat(r.problems()).extracting(Problem::code).isEmpty();
    }
}
