package io.phasegrid.coordinator.submit;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.graph.RoadmapAnalyzer;
import io.phasegrid.common.parse.LoadLimits;
import io.phasegrid.common.parse.RoadmapLoader;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.coordinator.submit.SubmissionRejected.Reason;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a submitted {@code .planning} bundle into an {@link Analysis} with the same parser and analyser as the CLI.
 * A roadmap with errors (cycle, no phases, binary or unreadable ROADMAP.md) is refused with every error as
 * {@code file:line: message}; errors confined to complete phases (a cycle among them) become warnings, since a run
 * skips those phases ({@code RunBlueprint.compile} refuses them when the run includes complete phases).
 */
public final class BundleAnalyzer {

    /** At most this many errors are quoted in a refusal. */
    static final int QUOTED_ERRORS = 20;

    private final SubmissionLimits limits;

    public BundleAnalyzer(SubmissionLimits limits) {
        this.limits = limits;
    }

    /**
     * @throws SubmissionRejected INVALID for a roadmap with errors, TOO_LARGE or EMPTY from {@link BundleFiles}
     */
    public Analysis analyze(Map<String, byte[]> files, boolean inferDependencies) {
        try (BundleFiles bundle = BundleFiles.write(files, limits)) {
            LoadLimits load = new LoadLimits(limits.maxFileBytes(), LoadLimits.defaults().maxPlanFileBytes(),
                    limits.maxFiles());
            Analysis analysis = RoadmapAnalyzer.analyze(RoadmapLoader.load(bundle.root(), load),
                    AnalysisOptions.defaults().withInferDependencies(inferDependencies));
            List<Problem> refusing = analysis.errorsForRun(false);
            if (!refusing.isEmpty()) {
                throw new SubmissionRejected(Reason.INVALID, describe(refusing));
            }
            return analysis.toleratingCompletePhaseErrors();
        }
    }

    static String describe(List<Problem> errors) {
        String quoted = errors.stream().limit(QUOTED_ERRORS).map(Problem::toString)
                .collect(Collectors.joining("; "));
        return errors.size() > QUOTED_ERRORS
                ? quoted + "; and " + (errors.size() - QUOTED_ERRORS) + " more errors"
                : quoted;
    }
}
