package io.phasegrid.coordinator.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.coordinator.submit.SubmissionRejected.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BundleAnalyzerTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "invoice-portal");
    private final BundleAnalyzer analyzer = new BundleAnalyzer(SubmissionLimits.defaults());

    /** The example's .planning folder as a bundle, the way `phasegrid submit` sends it. */
    static Map<String, byte[]> exampleBundle() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(EXAMPLE.resolve(".planning"))) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(EXAMPLE.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static Map<String, byte[]> roadmap(String markdown) {
        return Map.of(".planning/ROADMAP.md", markdown.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBundleIsAnalysedLikeTheFolderItCameFrom() throws IOException {
        Analysis analysis = analyzer.analyze(exampleBundle(), true);

        assertThat(analysis.waves()).containsExactly(
                List.of("01", "02"), List.of("03"), List.of("04", "05", "07"), List.of("04.1", "08"),
                List.of("06"), List.of("09"));
        assertThat(analysis.phases().get(3).phase().plans()).hasSize(3);
    }

    @Test
    void aCycleAmongCompletePhasesIsAcceptedAsAWarningForARunOfThePendingOnes() {
        Map<String, byte[]> files = roadmap("# R\n\n- [x] **Phase 1: A**\n- [x] **Phase 2: B**\n- [ ] **Phase 3: C**\n\n"
                + "### Phase 1: A\n**Depends on**: Phase 2\n\n### Phase 2: B\n**Depends on**: Phase 1\n\n"
                + "### Phase 3: C\n**Depends on**: Phase 1\n");

        Analysis analysis = analyzer.analyze(files, true);

        assertThat(analysis.errors()).isEmpty();
        assertThat(analysis.warnings()).anySatisfy(w -> assertThat(w.message()).startsWith("cycle: 01 -> 02")
                .contains("every phase on it is complete"));
        assertThat(analysis.errorsForRun(true)).isNotEmpty();
    }

    @Test
    void aCycleIsRefusedAsInvalidNamingTheCycleAndItsLines() {
        Map<String, byte[]> files = roadmap("# R\n\n### Phase 1: A\n**Depends on**: Phase 2\n\n"
                + "### Phase 2: B\n**Depends on**: Phase 1\n");

        assertThatThrownBy(() -> analyzer.analyze(files, true))
                .isInstanceOfSatisfying(SubmissionRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID);
                    assertThat(e.getMessage()).contains("cycle").contains(".planning/ROADMAP.md:4")
                            .contains(".planning/ROADMAP.md:7");
                });
    }

    @Test
    void pathsOutsideThePlanningFolderOrEscapingItAreRefused() {
        for (String path : List.of("../etc/passwd", "/etc/passwd", ".planning/../x", ".planning/./a",
                "src/Main.java", ".planning\\ROADMAP.md", ".planning//a", ".planning/a\0b")) {
            Map<String, byte[]> files = new LinkedHashMap<>(roadmap("### Phase 1: A\n"));
            files.put(path, new byte[] {1});

            assertThatThrownBy(() -> analyzer.analyze(files, true)).as(path)
                    .isInstanceOfSatisfying(SubmissionRejected.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID));
        }
    }

    @Test
    void oversizeBundlesAreRefusedBeforeAnythingIsWritten() {
        BundleAnalyzer small = new BundleAnalyzer(new SubmissionLimits(1_000, 600, 3, 10));
        Map<String, byte[]> tooBig = new LinkedHashMap<>(roadmap("### Phase 1: A\n"));
        tooBig.put(".planning/phases/01-a/01-01-PLAN.md", new byte[700]);
        Map<String, byte[]> tooMany = new LinkedHashMap<>(roadmap("### Phase 1: A\n"));
        for (int i = 0; i < 3; i++) {
            tooMany.put(".planning/x" + i + ".md", new byte[1]);
        }

        assertThatThrownBy(() -> small.analyze(tooBig, true)).isInstanceOfSatisfying(SubmissionRejected.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
        assertThatThrownBy(() -> small.analyze(tooMany, true)).isInstanceOfSatisfying(SubmissionRejected.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @Test
    void aPathThatIsBothAFileAndAFolderIsInvalid() {
        Map<String, byte[]> files = new LinkedHashMap<>(roadmap("### Phase 1: A\n"));
        files.put(".planning/phases", new byte[] {1});
        files.put(".planning/phases/01-a/01-01-PLAN.md", new byte[] {1});

        assertThatThrownBy(() -> analyzer.analyze(files, true)).isInstanceOfSatisfying(SubmissionRejected.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.INVALID);
            assertThat(e.getMessage()).contains("both a file and a folder");
        });
    }

    @Test
    void aBundleWithoutARoadmapIsRefused() {
        assertThatThrownBy(() -> analyzer.analyze(Map.of(".planning/config.json", new byte[] {'{', '}'}), true))
                .isInstanceOfSatisfying(SubmissionRejected.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.EMPTY));
    }

    @Test
    void binaryGarbageIsInvalid() {
        byte[] garbage = new byte[2048];
        new java.util.Random(3).nextBytes(garbage);

        assertThatThrownBy(() -> analyzer.analyze(Map.of(".planning/ROADMAP.md", garbage), true))
                .isInstanceOfSatisfying(SubmissionRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID);
                    assertThat(e.getMessage()).startsWith(".planning/ROADMAP.md");
                });
    }
}
