package io.phasegrid.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.Roadmap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A phase folder is matched to a phase by its id, and by its slug when numbering restarts per milestone. */
class PhaseFolderMatchingTest {

    private static final String RESTARTING_ROADMAP = """
            ## v1.0 MVP
            ### Phase 1: Setup
            **Goal**: set up
            ## v2.0 Polish
            ### Phase 1: Cleanup
            **Goal**: clean up
            """;

    @TempDir
    Path dir;

    private Roadmap loadWithFolder(String folder) throws IOException {
        Path planning = Files.createDirectories(dir.resolve(".planning"));
        Files.writeString(planning.resolve("ROADMAP.md"), RESTARTING_ROADMAP);
        Path phase = Files.createDirectories(planning.resolve("phases/" + folder));
        Files.writeString(phase.resolve("01-01-PLAN.md"), "---\nwave: 1\n---\n<task>x</task>\n");
        return RoadmapLoader.load(dir);
    }

    @Test
    void aSharedIdWhoseSlugMatchesOnePhaseGoesToThatPhaseSilently() throws IOException {
        Roadmap roadmap = loadWithFolder("01-cleanup");

        assertThat(roadmap.phases()).extracting(Phase::key).containsExactly("v1.0/01", "v2.0/01");
        assertThat(roadmap.phases().get(1).plans()).hasSize(1);
        assertThat(roadmap.phases().get(0).plans()).isEmpty();
        assertThat(roadmap.problems()).extracting(Problem::code)
                .doesNotContain(ProblemCode.AMBIGUOUS_PHASE_FOLDER);
    }

    @Test
    void aSharedIdWhoseSlugMatchesNoPhaseGoesToTheFirstWithAWarningNamingCandidatesAndChoice() throws IOException {
        Roadmap roadmap = loadWithFolder("01-something-else");

        assertThat(roadmap.phases().get(0).plans()).hasSize(1);
        assertThat(roadmap.problems()).filteredOn(p -> p.code() == ProblemCode.AMBIGUOUS_PHASE_FOLDER)
                .singleElement().satisfies(p -> {
                    assertThat(p.source().file()).isEqualTo(".planning/phases/01-something-else");
                    assertThat(p.message()).contains("01-something-else", "v1.0/01", "v2.0/01",
                            "attached to v1.0/01");
                });
    }
}
