package io.phasegrid.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 9: {@code submit --no-infer} reaches the submission through the same mixin as {@code run}'s. */
class SubmitOptionsTest {

    private static final Path LATER_DEPENDENCY = Path.of("..", "common", "src", "test", "resources", "issue9",
            "later-dependency");

    private static SubmitCommand parsed(String... args) {
        SubmitCommand submit = new SubmitCommand();
        new CommandLine(submit).parseArgs(args);
        return submit;
    }

    @Test
    void submitSendsNoInferAndTheAnalysisOptionsTheRunPreCheckUses() {
        SubmitCommand inferring = parsed(LATER_DEPENDENCY.toString());
        SubmitCommand declaredOnly = parsed(LATER_DEPENDENCY.toString(), "--no-infer");

        assertThat(SubmitCommand.request(LATER_DEPENDENCY, "", "", inferring.options).getOptions().getNoInfer())
                .isFalse();
        assertThat(SubmitCommand.request(LATER_DEPENDENCY, "", "", declaredOnly.options).getOptions().getNoInfer())
                .isTrue();
        assertThat(inferring.options.analysisOptions().inferDependencies()).isTrue();
        assertThat(declaredOnly.options.analysisOptions().inferDependencies()).isFalse();
    }
}
