package io.phasegrid.common.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.PhaseStatus;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.Roadmap;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile input ends in a clear error or warning, never an exception or a hang (30 s is only a hang guard). */
class HostileInputsTest {

    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static ProblemCode firstCode(Roadmap r) {
        return r.problems().get(0).code();
    }

    @Test
    void binaryGarbageIsBinaryInput() throws IOException {
        byte[] bytes = new byte[64 * 1024];
        new Random(42).nextBytes(bytes);
        Path file = Files.write(dir.resolve("ROADMAP.md"), bytes);
        Roadmap r = assertTimeoutPreemptively(HANG_GUARD, () -> RoadmapLoader.load(file));
        assertThat(r.problems()).extracting(Problem::code).containsExactly(ProblemCode.BINARY_INPUT);
        assertThat(r.problems().get(0).source().file()).isEqualTo("ROADMAP.md");
    }

    @Test
    void aFiftyMegabyteFileIsTooLargeWithoutBeingRead() throws IOException {
        Path file = dir.resolve("ROADMAP.md");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(50L * 1024 * 1024);
        }
        Roadmap r = assertTimeoutPreemptively(HANG_GUARD, () -> RoadmapLoader.load(file));
        assertThat(firstCode(r)).isEqualTo(ProblemCode.INPUT_TOO_LARGE);
        assertThat(r.hasErrors()).isTrue();
    }

    @Test
    void aTenThousandDeepChainParses() {
        StringBuilder sb = new StringBuilder("# Roadmap\n");
        for (int i = 1; i <= 10_000; i++) {
            sb.append("### Phase ").append(i).append(": Step ").append(i).append('\n');
            sb.append("**Depends on**: ").append(i == 1 ? "Nothing" : "Phase " + (i - 1)).append("\n\n");
        }
        Roadmap r = assertTimeoutPreemptively(HANG_GUARD, () -> RoadmapLoader.parse("ROADMAP.md", sb.toString()));
        assertThat(r.phases()).hasSize(10_000);
        assertThat(r.phases().get(9_999).dependsOn()).singleElement()
                .satisfies(d -> assertThat(d.key()).isEqualTo("9999"));
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void aTwoThousandPhaseCycleIsParsedAsWritten() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 2_000; i++) {
            sb.append("### Phase ").append(i).append(": Loop\n**Depends on**: Phase ")
                    .append(i == 1 ? 2_000 : i - 1).append('\n');
        }
        Roadmap r = assertTimeoutPreemptively(HANG_GUARD, () -> RoadmapLoader.parse("ROADMAP.md", sb.toString()));
        assertThat(r.phases()).hasSize(2_000);
        assertThat(r.phases().get(0).dependsOn().get(0).key()).isEqualTo("2000");
    }

    @Test
    void crlfAndBomAreHandled() throws IOException {
        String text = "\uFEFF# Roadmap\r\n- [x] **Phase 1: Setup**\r\n\r\n### Phase 2: Build\r\n**Depends on**: Phase 1\r\n";
        Path file = Files.write(dir.resolve("ROADMAP.md"), text.getBytes(StandardCharsets.UTF_8));
        Roadmap r = RoadmapLoader.load(file);
        assertThat(r.problems()).isEmpty();
        assertThat(r.phases()).extracting(Phase::key).containsExactly("01", "02");
        assertThat(r.phases().get(0).status()).isEqualTo(PhaseStatus.COMPLETE);
        assertThat(r.phases().get(1).dependsOn().get(0).source().line()).isEqualTo(5);
    }

    @Test
    void latinOneBytesAreDecodedWithReplacementAndAWarning() throws IOException {
        byte[] bytes = "### Phase 1: Caf\u00e9 setup\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("ROADMAP.md"), bytes);
        Roadmap r = RoadmapLoader.load(file);
        assertThat(r.phases()).hasSize(1);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.NOT_UTF8);
            assertThat(p.source().line()).isEqualTo(1);
        });
    }

    @Test
    void unknownDependencyIdsAreWarnings() {
        Roadmap r = RoadmapLoader.parse("ROADMAP.md", "### Phase 1: A\n**Depends on**: Phase 77, Phases 80-90\n");
        assertThat(r.phases().get(0).dependsOn()).isEmpty();
        assertThat(r.problems()).extracting(Problem::code)
                .containsExactly(ProblemCode.UNKNOWN_DEPENDENCY, ProblemCode.UNKNOWN_DEPENDENCY);
    }

    @Test
    void anEmptyFileHasNoPhases() throws IOException {
        Path file = Files.write(dir.resolve("ROADMAP.md"), new byte[0]);
        Roadmap r = RoadmapLoader.load(file);
        assertThat(r.problems()).extracting(Problem::code).containsExactly(ProblemCode.NO_PHASES);
    }

    @Test
    void aMissingPathHasNoRoadmap() {
        Roadmap r = RoadmapLoader.load(dir.resolve("nowhere"));
        assertThat(r.problems()).extracting(Problem::code).containsExactly(ProblemCode.NO_ROADMAP);
    }

    @Test
    void longLinesOfNearMissesStayLinear() {
        String line = "### Phase " + "1.".repeat(200_000) + "x " + "Phase ".repeat(100_000) + "\n";
        Roadmap r = assertTimeoutPreemptively(HANG_GUARD, () -> RoadmapLoader.parse("ROADMAP.md", line));
        assertThat(r.hasErrors()).isTrue();
    }

    @Test
    void aPlanningFolderWithBrokenFilesStillLoads() throws IOException {
        Path planning = Files.createDirectories(dir.resolve(".planning"));
        Files.writeString(planning.resolve("ROADMAP.md"), "### Phase 1: Setup\n### Phase 2: Build\n");
        Files.writeString(planning.resolve("config.json"), "{\n  \"mode\": \"yolo\",\n  \"parallelization\": [\n}\n");
        Path phase1 = Files.createDirectories(planning.resolve("phases/01-setup"));
        Files.writeString(phase1.resolve("01-01-PLAN.md"), "---\nwave: [1\nphase: 01\n---\n<task>x</task>\n");
        Files.writeString(phase1.resolve("01-01-SUMMARY.md"), "---\nrequires: []\n---\ndone\n");
        Files.write(phase1.resolve("01-02-PLAN.md"), new byte[] {0, 1, 2, 3});
        Files.createDirectories(planning.resolve("phases/07-gone"));
        Roadmap r = RoadmapLoader.load(dir);
        assertThat(r.phases()).hasSize(2);
        assertThat(r.phases().get(0).plans()).extracting(p -> p.id()).containsExactly("01-01", "01-02");
        assertThat(r.phases().get(0).plans().get(0).taskCount()).isEqualTo(1);
        assertThat(r.problems()).extracting(p -> p.code() + "@" + p.source())
                .contains("INVALID_CONFIG@.planning/config.json:4",
                        "INVALID_FRONTMATTER@.planning/phases/01-setup/01-01-PLAN.md:3",
                        "BINARY_INPUT@.planning/phases/01-setup/01-02-PLAN.md",
                        "ORPHAN_PHASE_FOLDER@.planning/phases/07-gone");
        assertThat(r.hasErrors()).isFalse();
    }
}
