package io.phasegrid.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phasegrid.cli.CliRun;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenCommandTest {

    @Test
    void aGeneratedRoadmapAnalysesToTheGraphItWasGeneratedFrom(@TempDir Path dir) throws IOException {
        CliRun gen = CliRun.of("gen", "--phases", "500", "--shape", "deep", "--out", dir.toString());
        assertThat(gen.exitCode()).as(gen.err()).isEqualTo(ExitCodes.OK);
        assertThat(gen.err()).contains("500 phases, 400 dependencies");

        JsonNode json = Json.mapper().readTree(CliRun.of("analyze", dir.toString(), "--json").out());

        // 100 chains of 5: phase i depends on i - 100
        assertThat(json.get("phases")).hasSize(500);
        assertThat(json.get("waves")).hasSize(5);
        assertThat(json.get("maxParallelism").asInt()).isEqualTo(100);
        assertThat(json.get("criticalPath")).hasSize(5);
        assertThat(json.get("errors")).isEmpty();
    }

    @Test
    void theSameSeedGivesTheSameRoadmapOnStdout() {
        String first = CliRun.of("gen", "--phases", "50", "--seed", "7").out();
        String second = CliRun.of("gen", "--phases", "50", "--seed", "7").out();
        String other = CliRun.of("gen", "--phases", "50", "--seed", "8").out();

        assertThat(first).contains("### Phase 50:").isEqualTo(second).isNotEqualTo(other);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(CliRun.of("gen", "--phases", "0").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(CliRun.of("gen", "--shape", "round").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    }
}
