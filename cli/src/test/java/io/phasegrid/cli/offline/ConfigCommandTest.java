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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {

    private static final String ROADMAP = "# Roadmap\n\n### Phase 1: Only\n**Depends on**: Nothing\n";

    private static Path project(Path dir, String configJson) throws IOException {
        Path planning = Files.createDirectories(dir.resolve(".planning"));
        Files.writeString(planning.resolve("ROADMAP.md"), ROADMAP, StandardCharsets.UTF_8);
        if (configJson != null) {
            Files.writeString(planning.resolve("config.json"), configJson, StandardCharsets.UTF_8);
        }
        return dir;
    }

    private static JsonNode setting(JsonNode json, String name) {
        for (JsonNode s : json.get("settings")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no setting " + name);
    }

    @Test
    void reportsEachSettingWithWhereItCameFrom(@TempDir Path dir) throws IOException {
        project(dir, "{\n  \"parallelization\": {\"max_concurrent_agents\": 5}\n}\n");

        CliRun run = CliRun.of("config", dir.toString(), "--json", "--schedule", "waves");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(setting(json, "max_parallel").get("value").asInt()).isEqualTo(5);
        assertThat(setting(json, "max_parallel").get("source").asText()).isEqualTo("config.json");
        assertThat(setting(json, "min_tokens_per_phase").get("source").asText()).isEqualTo("default");
        assertThat(setting(json, "fallback_to_sequential").get("value").asBoolean()).isTrue();
        assertThat(setting(json, "schedule").get("value").asText()).isEqualTo("waves");
        assertThat(setting(json, "schedule").get("source").asText()).isEqualTo("flag");
    }

    @Test
    void parallelizationFalseMeansOnePhaseAtATime(@TempDir Path dir) throws IOException {
        project(dir, "{\"parallelization\": false}");

        JsonNode json = Json.mapper().readTree(CliRun.of("config", dir.toString(), "--json").out());

        assertThat(setting(json, "max_parallel").get("value").asInt()).isEqualTo(1);
        assertThat(setting(json, "max_parallel").get("source").asText()).isEqualTo("config.json");
    }

    @Test
    void setUpdatesConfigJsonKeepingEveryOtherKeyAndTheFormatting(@TempDir Path dir) throws IOException {
        String original = Files.readString(CliRun.EXAMPLES.resolve("invoice-portal/.planning/config.json"));
        project(dir, original);

        CliRun run = CliRun.of("config", dir.toString(), "--set", "max_parallel=6", "--set", "schedule=waves",
                "--set", "workflow.research=false");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        String edited = Files.readString(dir.resolve(".planning/config.json"));
        assertThat(edited).isEqualTo(original
                .replace("\"max_concurrent_agents\": 3", "\"max_concurrent_agents\": 6,\n    \"schedule\": \"waves\"")
                .replace("\"research\": true", "\"research\": false"));
        assertThat(run.out()).containsPattern("max_parallel\\s+6\\s+config.json");
    }

    @Test
    void setTurnsABooleanParallelizationIntoAnObject(@TempDir Path dir) throws IOException {
        project(dir, "{\n  \"mode\": \"yolo\",\n  \"parallelization\": true\n}\n");

        assertThat(CliRun.of("config", dir.toString(), "--set", "max_parallel=2").exitCode()).isEqualTo(ExitCodes.OK);

        assertThat(Files.readString(dir.resolve(".planning/config.json"))).isEqualTo(
                "{\n  \"mode\": \"yolo\",\n  \"parallelization\": {\n    \"enabled\": true,\n"
                        + "    \"max_concurrent_agents\": 2\n  }\n}\n");
    }

    @Test
    void setCreatesConfigJsonWhenMissing(@TempDir Path dir) throws IOException {
        project(dir, null);

        assertThat(CliRun.of("config", dir.toString(), "--set", "min_tokens_per_phase=20000").exitCode())
                .isEqualTo(ExitCodes.OK);

        JsonNode written = Json.mapper().readTree(dir.resolve(".planning/config.json").toFile());
        assertThat(written.at("/parallelization/min_tokens_per_phase").asLong()).isEqualTo(20_000);
    }

    @Test
    void anInvalidValueIsRejectedAndTheFileIsLeftAlone(@TempDir Path dir) throws IOException {
        String original = "{\"parallelization\": {\"max_concurrent_agents\": 3}}";
        project(dir, original);

        CliRun run = CliRun.of("config", dir.toString(), "--set", "max_parallel=zero");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("max_parallel").contains("positive integer");
        assertThat(Files.readString(dir.resolve(".planning/config.json"))).isEqualTo(original);
    }

    @Test
    void aWronglyTypedConfigValueNamesTheKey(@TempDir Path dir) throws IOException {
        project(dir, "{\"parallelization\": {\"schedule\": \"sometimes\"}}");

        CliRun run = CliRun.of("config", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("config.json").contains("parallelization.schedule").contains("eager");
    }

    @Test
    void aBareRoadmapFileHasNoConfigJsonToEdit(@TempDir Path dir) throws IOException {
        Path roadmap = project(dir, null).resolve(".planning/ROADMAP.md");

        CliRun show = CliRun.of("config", roadmap.toString(), "--json");
        CliRun set = CliRun.of("config", roadmap.toString(), "--set", "max_parallel=2");

        assertThat(show.exitCode()).as(show.err()).isEqualTo(ExitCodes.OK);
        assertThat(set.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(set.err()).contains("expected a .planning folder");
    }
}
