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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code phasegrid check} on the invoice-portal example (phases 04, 05, 07 are ready; 08 waits for 07). */
class CheckCommandTest {

    private static final String EXAMPLE = CliRun.EXAMPLES.resolve("invoice-portal").toString();
    // estimates: 04 15.5k, 05 13k, 07 14.5k -> the ready group needs 43k
    private static final long READY_GROUP_NEED = 15_500 + 13_000 + 14_500;

    @Test
    void independentPhasesCanRunTogether() {
        CliRun run = CliRun.of("check", EXAMPLE, "4", "5", "7");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Phases 04, 05, 07 can run in parallel");
    }

    @Test
    void dependentPhasesCannotAndTheDependencyPathIsShownWithLines() {
        CliRun run = CliRun.of("check", EXAMPLE, "04", "06");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NEGATIVE);
        assertThat(run.out()).contains("cannot run in parallel")
                .contains("06 depends on 04: 06 -> 04.1 (declared at .planning/ROADMAP.md:")
                .contains("-> 04 (declared at .planning/ROADMAP.md:");
    }

    @Test
    void aSharedFileForbidsRunningTogetherEvenWithoutInference() throws IOException {
        CliRun run = CliRun.of("check", EXAMPLE, "07", "08", "--no-infer", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NEGATIVE);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.get("parallel").asBoolean()).isFalse();
        assertThat(json.at("/conflicts/0/sharedFile").asText()).isEqualTo("src/approvals/chain.ts");
    }

    @Test
    void withoutPhasesItReportsTheReadyGroupAndTheSeedsTokenVerdict() {
        CliRun enough = CliRun.of("check", EXAMPLE, "--budget", "150000");
        CliRun tight = CliRun.of("check", EXAMPLE, "--budget", "40000");
        CliRun tooLittle = CliRun.of("check", EXAMPLE, "--budget", "5000");

        assertThat(enough.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(enough.out()).contains("Ready now: phases 04, 05, 07 can run in parallel")
                .contains("Then (group 2): 04.1, 08")
                .contains("Token budget: 150k remaining, need 43k for parallel group -> CAN_PROCEED");
        assertThat(tight.exitCode()).isEqualTo(ExitCodes.NEGATIVE);
        assertThat(tight.out()).contains("-> FALLBACK_SEQUENTIAL");
        assertThat(tooLittle.exitCode()).isEqualTo(ExitCodes.NEGATIVE);
        assertThat(tooLittle.out()).contains("-> INSUFFICIENT");
    }

    @Test
    void theBudgetIsReadFromTokenBudgetJson(@TempDir Path dir) throws IOException {
        Path planning = copyOfTheExample(dir);
        Files.writeString(planning.resolve("token_budget.json"), "{\"budget\": 200000, \"used\": 157000}",
                StandardCharsets.UTF_8);

        CliRun run = CliRun.of("check", dir.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.at("/budget/remaining").asLong()).isEqualTo(43_000);
        assertThat(json.at("/budget/groupNeed").asLong()).isEqualTo(READY_GROUP_NEED);
        assertThat(json.at("/budget/verdict").asText()).isEqualTo("CAN_PROCEED");
        assertThat(json.at("/budget/source").asText()).endsWith("token_budget.json");
    }

    @Test
    void aMalformedBudgetFileNamesTheFileAndLine(@TempDir Path dir) throws IOException {
        Path planning = copyOfTheExample(dir);
        Files.writeString(planning.resolve("token_budget.json"), "{\n  \"budget\": \"lots\"\n}", StandardCharsets.UTF_8);

        CliRun run = CliRun.of("check", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("token_budget.json").contains("budget").contains("non-negative integer");
    }

    @Test
    void anUnknownPhaseIsInvalidInput() {
        CliRun run = CliRun.of("check", EXAMPLE, "04", "42");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("unknown phase 42");
    }

    /** The example's .planning tree under {@code dir}; returns the copy's .planning folder. */
    private static Path copyOfTheExample(Path dir) throws IOException {
        Path source = CliRun.EXAMPLES.resolve("invoice-portal/.planning");
        Path target = dir.resolve(".planning");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return target;
    }
}
