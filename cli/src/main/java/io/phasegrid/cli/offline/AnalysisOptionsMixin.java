package io.phasegrid.cli.offline;

import io.phasegrid.common.analysis.AnalysisOptions;
import picocli.CommandLine.Option;

/**
 * The analysis options every command that analyses a roadmap shares ({@code analyze}, {@code check},
 * {@code simulate}, {@code run}, {@code submit}): the one place they become {@link AnalysisOptions}, so a flag means
 * the same everywhere.
 */
public final class AnalysisOptionsMixin {

    @Option(names = "--no-infer", negatable = false,
            description = "Use declared dependencies only (no inference from plans and summaries).")
    boolean noInfer;

    /** Whether dependencies are inferred (no {@code --no-infer}). */
    public boolean inferDependencies() {
        return !noInfer;
    }

    /** The analysis these options ask for; commands with {@code --pending} add it with {@code withPendingOnly}. */
    public AnalysisOptions analysisOptions() {
        return AnalysisOptions.defaults().withInferDependencies(inferDependencies());
    }
}
