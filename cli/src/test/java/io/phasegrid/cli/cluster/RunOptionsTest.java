package io.phasegrid.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phasegrid.cli.CliRun;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.json.Json;
import io.phasegrid.cli.client.SubmitCommand;
import io.phasegrid.cli.offline.RoadmapInput;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.InferredDependency;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Issue 9: {@code run PATH --no-infer} used to analyse with inference for its local pre-check (and fail on the
 * inferred cycle) while the submission said no inference. Now the pre-check and the submission take their analysis
 * options from the one mixin.
 */
class RunOptionsTest {

    static final Path FIXTURES = Path.of("..", "common", "src", "test", "resources", "issue9");
    static final Path LATER_DEPENDENCY = FIXTURES.resolve("later-dependency");

    private static RunCommand parsedRun(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run;
    }

    private static java.util.List<String> inferredOf(Analysis analysis, String key) {
        return analysis.phase(key).orElseThrow().inferred().stream().map(InferredDependency::key).toList();
    }

    @Test
    void runsPreCheckAndSubmissionHonourNoInfer() {
        StringWriter err = new StringWriter();
        RunCommand inferring = parsedRun(LATER_DEPENDENCY.toString());
        RunCommand declaredOnly = parsedRun(LATER_DEPENDENCY.toString(), "--no-infer");

        assertThat(inferredOf(inferring.checkRunnable(new RoadmapInput(LATER_DEPENDENCY), new PrintWriter(err)), "60"))
                .containsExactly("57");
        assertThat(inferredOf(declaredOnly.checkRunnable(new RoadmapInput(LATER_DEPENDENCY), new PrintWriter(err)),
                "60")).isEmpty();
        assertThat(SubmitCommand.request(LATER_DEPENDENCY, "", "", inferring.options).getOptions().getNoInfer())
                .isFalse();
        assertThat(SubmitCommand.request(LATER_DEPENDENCY, "", "", declaredOnly.options).getOptions().getNoInfer())
                .isTrue();
    }

    @Test
    void theRunPreCheckWarnsAboutACycleConfinedToCompletePhasesAndRefusesItWithIncludeComplete() {
        Path tree = FIXTURES.resolve("complete-cycle");
        StringWriter err = new StringWriter();

        Analysis analysis = parsedRun(tree.toString()).checkRunnable(new RoadmapInput(tree), new PrintWriter(err, true));

        assertThat(analysis.hasErrors()).isFalse();
        assertThat(err.toString()).contains("warning [CYCLE] cycle: 01 -> 02");
        CliRun including = CliRun.of("run", tree.toString(), "--include-complete");
        assertThat(including.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(including.err()).contains("cycle: 01 -> 02");
    }

    @Test
    void theEmbeddedRunOfATreeWithACycleAmongCompletePhasesRunsThePendingOnesAndSaysWhatItStarts()
            throws java.io.IOException {
        Path tree = FIXTURES.resolve("complete-cycle");

        CliRun run = CliRun.of("run", tree.toString(), "--workers", "1", "--time-scale", "0", "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).contains("warning [CYCLE] cycle: 01 -> 02")
                .contains("starting embedded coordinator (1 Hazelcast member) and 1 local worker (2 slots each)...")
                .containsPattern("submitted run \\S+");
        JsonNode report = Json.mapper().readTree(run.out());
        assertThat(report.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("phases").findValuesAsText("state"))
                .containsExactly("SKIPPED", "SKIPPED", "SUCCEEDED", "SUCCEEDED");
    }
}
