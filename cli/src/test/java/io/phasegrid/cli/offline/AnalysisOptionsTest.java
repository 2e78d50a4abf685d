package io.phasegrid.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phasegrid.cli.CliRun;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: {@code --no-infer} reaches the analysis of every offline command through the one options mixin
 * ({@code run} and {@code submit}: {@code RunOptionsTest}). The fixture's phases 57 and 60 are ordered only by a
 * shared file.
 */
class AnalysisOptionsTest {

    static final Path LATER_DEPENDENCY = Path.of("..", "common", "src", "test", "resources", "issue9",
            "later-dependency");

    private static JsonNode json(String... args) throws IOException {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        return Json.mapper().readTree(run.out());
    }

    private static List<String> inferredOf(JsonNode analysis, String key) {
        for (JsonNode phase : analysis.get("phases")) {
            if (phase.get("key").asText().equals(key)) {
                return phase.get("inferred").findValuesAsText("key");
            }
        }
        throw new AssertionError("no phase " + key);
    }

    @Test
    void analyzeInfersByDefaultAndNotWithNoInfer() throws IOException {
        assertThat(inferredOf(json("analyze", LATER_DEPENDENCY.toString(), "--json"), "60")).containsExactly("57");
        assertThat(inferredOf(json("analyze", LATER_DEPENDENCY.toString(), "--json", "--no-infer"), "60")).isEmpty();
    }

    @Test
    void checkInfersByDefaultAndNotWithNoInfer() throws IOException {
        assertThat(json("check", LATER_DEPENDENCY.toString(), "--json").get("pendingWaves").toString())
                .isEqualTo("[[\"56\",\"61\"],[\"57\",\"58.1\"],[\"60\"],[\"56.7\"]]");
        assertThat(json("check", LATER_DEPENDENCY.toString(), "--json", "--no-infer").get("pendingWaves").toString())
                .isEqualTo("[[\"56\",\"61\"],[\"57\",\"58.1\",\"60\"],[\"56.7\"]]");
    }

    @Test
    void simulateInfersByDefaultAndNotWithNoInfer() throws IOException {
        assertThat(json("simulate", LATER_DEPENDENCY.toString(), "--json").get("groups")).hasSize(4);
        assertThat(json("simulate", LATER_DEPENDENCY.toString(), "--json", "--no-infer").get("groups")).hasSize(3);
    }

    @Test
    void aCycleConfinedToCompletePhasesIsStillAnAnalyzeErrorAlsoUnderPending() {
        Path tree = LATER_DEPENDENCY.resolveSibling("complete-cycle");

        CliRun full = CliRun.of("analyze", tree.toString());
        CliRun pending = CliRun.of("analyze", tree.toString(), "--pending");

        assertThat(full.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(full.err()).contains("cycle: 01 -> 02").contains("every phase on it is complete");
        assertThat(pending.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    }
}
