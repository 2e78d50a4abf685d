package io.phasegrid.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phasegrid.cli.CliRun;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.client.BundleReader;
import io.phasegrid.cli.json.Json;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.testing.Corpus;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.submit.BundleAnalyzer;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code analyze --json} over every roadmap and project tree of the shared corpus: exit 0, byte-identical on a
 * second run, and a graph whose waves are consistent with the dependencies it prints. (The facts of each file are
 * checked by the parser's corpus tests in common.)
 */
class CorpusAnalyzeTest {

    static Stream<Path> corpusInputs() throws IOException {
        Path root = Corpus.root();
        try (Stream<Path> roadmaps = Files.list(root.resolve("roadmaps"));
                Stream<Path> projects = Files.list(root.resolve("projects"))) {
            return Stream.concat(roadmaps.filter(p -> p.toString().endsWith(".md")).sorted().toList().stream(),
                    projects.sorted().toList().stream());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusInputs")
    void everyCorpusInputAnalysesDeterministicallyIntoAConsistentGraph(Path input) throws IOException {
        CliRun first = CliRun.of("analyze", input.toString(), "--json");
        CliRun second = CliRun.of("analyze", input.toString(), "--json");

        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCodes.OK);
        assertThat(second.out()).isEqualTo(first.out());
        JsonNode json = Json.mapper().readTree(first.out());
        Map<String, Integer> waveOf = new HashMap<>();
        Set<String> scheduled = new HashSet<>();
        for (JsonNode phase : json.get("phases")) {
            waveOf.put(phase.get("key").asText(), phase.get("wave").asInt());
            if (!phase.get("status").asText().equals("backlog")) {
                scheduled.add(phase.get("key").asText());
            }
        }
        assertThat(waveOf).hasSize(json.get("phases").size());
        Set<String> inWaves = new HashSet<>();
        json.get("waves").forEach(w -> w.forEach(k -> inWaves.add(k.asText())));
        assertThat(inWaves).isEqualTo(scheduled);
        for (JsonNode phase : json.get("phases")) {
            int wave = phase.get("wave").asInt();
            for (JsonNode dep : phase.get("dependsOn")) {
                assertThat(waveOf).containsKey(dep.asText());
                if (wave > 0 && waveOf.get(dep.asText()) > 0) {
                    assertThat(waveOf.get(dep.asText())).as(phase.get("key") + " after " + dep).isLessThan(wave);
                }
            }
        }
        List<String> critical = Json.mapper().convertValue(json.get("criticalPath"),
                Json.mapper().getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(scheduled).containsAll(critical);
    }

    /**
     * Issue 9: with inference on, every corpus input analyses without an error and compiles into a run, both as
     * {@code run} checks it locally and as the coordinator sees the bundle {@code submit} sends, with and without
     * complete phases.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusInputs")
    void everyCorpusInputRunsAndSubmitsWithInferenceOn(Path input) {
        RoadmapInput roadmap = new RoadmapInput(input);
        Analysis local = roadmap.analyze(AnalysisOptions.defaults());
        Analysis submitted = new BundleAnalyzer(SubmissionLimits.defaults()).analyze(BundleReader.read(input), true);

        assertThat(local.errors()).as("analysis errors").isEmpty();
        assertThat(submitted.errors()).as("submission errors").isEmpty();
        for (RunSettings settings : List.of(RunSettings.defaults(),
                RunSettings.builder().includeComplete(true).build())) {
            assertThat(RunBlueprint.compile(local, settings).size()).isPositive();
            assertThat(RunBlueprint.compile(submitted, settings).size()).isPositive();
        }
    }
}
