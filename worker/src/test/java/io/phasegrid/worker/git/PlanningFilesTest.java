package io.phasegrid.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.worker.executor.GitWork;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanningFilesTest {

    private static final List<GitWork.Input> PHASE_4 = List.of(new GitWork.Input("04", "OCR Extraction", "c"));

    @Test
    void ticksOnlyTheIntegratedPhaseAndItsPlansNotADecimalPhaseOrAnotherNumberEndingTheSame() {
        String roadmap = """
                - [ ] **Phase 4: OCR Extraction** - extract
                - [ ] **Phase 4.1: Currency** - inserted
                - [ ] **Phase 14: Later** - later
                  - [ ] 04-01: first plan
                  - [ ] 04.1-01: currency plan
                  - [ ] 14-01: later plan
                """;

        String ticked = PlanningFiles.tickRoadmap(roadmap, PHASE_4);

        assertThat(ticked).isEqualTo("""
                - [x] **Phase 4: OCR Extraction** - extract
                - [ ] **Phase 4.1: Currency** - inserted
                - [ ] **Phase 14: Later** - later
                  - [x] 04-01: first plan
                  - [ ] 04.1-01: currency plan
                  - [ ] 14-01: later plan
                """);
        assertThat(PlanningFiles.tickRoadmap(roadmap, List.of(new GitWork.Input("04.1", "Currency", "c"))))
                .contains("- [x] **Phase 4.1: Currency**", "- [x] 04.1-01: currency plan", "- [ ] **Phase 4: OCR");
    }

    @Test
    void advancesTheStatusAndLastActivityLinesAndAppendsOneWhenTheStateHasNone() {
        String state = "# State\n\n**Status:** Ready to plan\nLast activity: 2026-10-14 - Completed 03-02-PLAN.md\n";

        assertThat(PlanningFiles.advanceState(state, "r1", PHASE_4, "2026-12-02")).isEqualTo(
                "# State\n\n**Status:** Phases 04 complete (integrated by PhaseGrid run r1)\n"
                        + "Last activity: 2026-12-02 - PhaseGrid run r1 integrated phases 04\n");
        assertThat(PlanningFiles.advanceState("free text", "r1", PHASE_4, "2026-12-02"))
                .isEqualTo("free text\nLast activity: 2026-12-02 - PhaseGrid run r1 integrated phases 04\n");
    }
}
