package io.phasegrid.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phasegrid.cli.CliRun;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code phasegrid analyze} on the invoice-portal example, whose facts are spelled out in its ROADMAP.md. */
class AnalyzeCommandTest {

    private static final String EXAMPLE = CliRun.EXAMPLES.resolve("invoice-portal").toString();

    @Test
    void jsonHasTheDocumentedShapeAndTheExamplesGraph() throws IOException {
        CliRun run = CliRun.of("analyze", EXAMPLE, "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.get("schema").asText()).isEqualTo("phasegrid.analysis/v1");
        assertThat(json.get("source").asText()).isEqualTo(EXAMPLE);
        assertThat(keys(json.get("phases"), "key"))
                .containsExactly("01", "02", "03", "04", "04.1", "05", "06", "07", "08", "09");
        JsonNode matching = phase(json, "06");
        assertThat(matching.get("id").asText()).isEqualTo("06");
        assertThat(matching.get("name").asText()).isEqualTo("Three-Way Matching");
        assertThat(matching.get("milestone").asText()).contains("v1.1");
        assertThat(matching.get("status").asText()).isEqualTo("pending");
        assertThat(matching.get("line").asInt()).isPositive();
        assertThat(strings(matching.get("dependsOn"))).containsExactly("04.1", "05");
        assertThat(strings(phase(json, "09").get("dependsOn"))).containsExactly("06", "07", "08");
        assertThat(phase(json, "04").get("plans").asInt()).isEqualTo(3);
        assertThat(phase(json, "04").get("estimatedTokens").asLong()).isEqualTo(10_000 + 4 * 1_000 + 3 * 500);
        assertThat(phase(json, "03").get("status").asText()).isEqualTo("complete");
        assertThat(phase(json, "01").get("status").asText()).isEqualTo("complete");

        JsonNode audit = phase(json, "08");
        assertThat(audit.get("inferred")).hasSize(1);
        assertThat(audit.get("inferred").get(0).get("key").asText()).isEqualTo("07");
        assertThat(audit.get("inferred").get(0).get("reason").asText()).contains("src/approvals/chain.ts");

        assertThat(waves(json)).containsExactly(
                List.of("01", "02"), List.of("03"), List.of("04", "05", "07"), List.of("04.1", "08"),
                List.of("06"), List.of("09"));
        assertThat(json.get("maxParallelism").asInt()).isEqualTo(3);
        assertThat(strings(json.get("criticalPath"))).containsExactly("02", "03", "04", "04.1", "06", "09");
        assertThat(json.get("errors")).isEmpty();
        for (JsonNode warning : json.get("warnings")) {
            assertThat(warning.fieldNames()).toIterable().containsExactly("file", "line", "code", "message");
        }
    }

    @Test
    void noInferKeepsDeclaredDependenciesOnly() throws IOException {
        JsonNode json = Json.mapper().readTree(CliRun.of("analyze", EXAMPLE, "--json", "--no-infer").out());

        assertThat(phase(json, "08").get("inferred")).isEmpty();
        assertThat(waves(json).get(2)).containsExactly("04", "05", "07", "08");
    }

    @Test
    void pendingRestrictsPhasesAndWavesToWorkNotDone() throws IOException {
        JsonNode json = Json.mapper().readTree(CliRun.of("analyze", EXAMPLE, "--json", "--pending").out());

        assertThat(keys(json.get("phases"), "key")).containsExactly("04", "04.1", "05", "06", "07", "08", "09");
        assertThat(waves(json)).containsExactly(
                List.of("04", "05", "07"), List.of("04.1", "08"), List.of("06"), List.of("09"));
    }

    @Test
    void sameInputGivesByteIdenticalJson() {
        String first = CliRun.of("analyze", EXAMPLE, "--json").out();
        String second = CliRun.of("analyze", EXAMPLE, "--json").out();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void humanOutputSaysWhichPhasesRunInParallel() {
        CliRun run = CliRun.of("analyze", EXAMPLE);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out())
                .contains("Phases 04, 05, 07 can run in parallel (wave 3); 04.1, 08 depend on them")
                .contains("Phase 06 runs alone (wave 5); 09 depends on it")
                .contains("Critical path: 02 -> 03 -> 04 -> 04.1 -> 06 -> 09");
    }

    @Test
    void aCycleIsInvalidInputNamingTheFileAndLinesWithoutAStackTrace(@TempDir Path dir) throws IOException {
        Path roadmap = dir.resolve("ROADMAP.md");
        Files.writeString(roadmap, """
                # Roadmap

                ### Phase 1: A
                **Depends on**: Phase 2

                ### Phase 2: B
                **Depends on**: Phase 1
                """, StandardCharsets.UTF_8);

        CliRun run = CliRun.of("analyze", roadmap.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains(roadmap + ":").contains("cycle").contains(":4").contains(":7")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void binaryGarbageIsInvalidInput(@TempDir Path dir) throws IOException {
        Path roadmap = dir.resolve("ROADMAP.md");
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(roadmap, garbage);

        CliRun run = CliRun.of("analyze", roadmap.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).startsWith(roadmap.toString()).doesNotContain("\tat ");
    }

    @Test
    void aMissingPathIsInvalidInput(@TempDir Path dir) {
        CliRun run = CliRun.of("analyze", dir.resolve("nowhere").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("nowhere");
    }

    @Test
    void aMissingRelativePathIsNamedOnceAsTyped() {
        CliRun run = CliRun.of("analyze", "no-such-roadmap-here");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).startsWith("no-such-roadmap-here: no-such-roadmap-here does not exist");
    }

    @Test
    void warningsOfARelativeFolderInputNameFilesFromTheWorkingDirectory() throws IOException {
        Path project = Path.of("target", "relative-input-" + ProcessHandle.current().pid());
        Path planning = Files.createDirectories(project.resolve(".planning"));
        Files.writeString(planning.resolve("ROADMAP.md"),
                "# Roadmap\n\n### Phase 1: Only\n**Depends on**: Phase 7\n", StandardCharsets.UTF_8);

        CliRun run = CliRun.of("analyze", project.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("  " + project.resolve(".planning/ROADMAP.md") + ":4: warning [UNKNOWN_DEPENDENCY]");
    }

    @Test
    void debugPrintsTheStackTraceOfAnError(@TempDir Path dir) {
        CliRun run = CliRun.of("analyze", dir.toString(), "--debug");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("InvalidInputException").contains("\tat ");
    }

    @Test
    void aRoadmapOverTheSizeLimitIsInvalidInputUnlessTheLimitIsRaised(@TempDir Path dir) throws IOException {
        Path roadmap = dir.resolve("ROADMAP.md");
        Files.writeString(roadmap, "# Roadmap\n\n### Phase 1: Only\n**Depends on**: Nothing\n", StandardCharsets.UTF_8);

        CliRun limited = CliRun.of("analyze", roadmap.toString(), "--max-roadmap-bytes", "10");
        CliRun raised = CliRun.of("analyze", roadmap.toString(), "--max-roadmap-bytes", "1000");

        assertThat(limited.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(limited.err()).contains("limit");
        assertThat(raised.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(CliRun.of("analyze", roadmap.toString(), "--max-roadmap-bytes", "0").exitCode())
                .isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void usageErrorsExitWithTwoAndHelpWithZero() {
        assertThat(CliRun.of("analyze").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(CliRun.of("analyze", EXAMPLE, "--bogus").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(CliRun.of("frobnicate").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        CliRun help = CliRun.of("analyze", "--help");
        assertThat(help.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(help.out()).contains("--pending").contains("--no-infer");
    }

    @Test
    void completionScriptIsGenerated() {
        CliRun run = CliRun.of("generate-completion");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("complete -F").contains("analyze");
    }

    static JsonNode phase(JsonNode json, String key) {
        for (JsonNode p : json.get("phases")) {
            if (p.get("key").asText().equals(key)) {
                return p;
            }
        }
        throw new AssertionError("no phase " + key);
    }

    static List<String> keys(JsonNode array, String field) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.get(field).asText()));
        return result;
    }

    static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    static List<List<String>> waves(JsonNode json) {
        List<List<String>> result = new ArrayList<>();
        json.get("waves").forEach(w -> result.add(strings(w)));
        return result;
    }
}
