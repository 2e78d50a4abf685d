package io.phasegrid.common.analysis;

import io.phasegrid.common.graph.PhaseGraph;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.Roadmap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of analysing a roadmap. When {@link #errors()} is not empty (a cycle, no phases) the waves and the
 * critical path are empty.
 *
 * @param roadmap what was analysed
 * @param phases every phase, in roadmap order
 * @param waves phase keys by wave, each wave in roadmap order; covers every scheduled phase
 * @param maxParallelism size of the largest wave
 * @param criticalPath keys along the longest path by estimated tokens, ties broken by phase count
 * @param warnings findings that do not stop the analysis, in {@link Problem#ORDER}
 * @param errors findings that make the roadmap unrunnable, in {@link Problem#ORDER}
 * @param criticalPathTokens sum of the estimated tokens of the phases on the critical path
 * @param graph the dependency graph the analysis built (declared and inferred edges, each with its source), indexed
 *     like {@link #phases()}; immutable, for checks and simulations to reuse
 * @param completePhaseErrors the errors confined to phases that are complete (a declared cycle all of whose phases
 *     are complete): a run that skips complete phases is not affected by them, a run that includes them is. Part of
 *     {@link #errors()}, or of {@link #warnings()} after {@link #toleratingCompletePhaseErrors()}
 */
public record Analysis(
        Roadmap roadmap,
        List<AnalyzedPhase> phases,
        List<List<String>> waves,
        int maxParallelism,
        List<String> criticalPath,
        List<Problem> warnings,
        List<Problem> errors,
        long criticalPathTokens,
        PhaseGraph graph,
        List<Problem> completePhaseErrors) {

    public Analysis {
        phases = List.copyOf(phases);
        waves = waves.stream().map(List::copyOf).toList();
        criticalPath = List.copyOf(criticalPath);
        warnings = warnings.stream().sorted(Problem.ORDER).toList();
        errors = errors.stream().sorted(Problem.ORDER).toList();
        Objects.requireNonNull(graph, "graph");
        completePhaseErrors = completePhaseErrors.stream().sorted(Problem.ORDER).toList();
    }

    /**
     * The errors that stop a run: every error when the run includes complete phases, else those not confined to
     * complete phases.
     */
    public List<Problem> errorsForRun(boolean includeComplete) {
        List<Problem> blocking = errors.stream().filter(p -> !completePhaseErrors.contains(p)).toList();
        if (!includeComplete) {
            return blocking;
        }
        return java.util.stream.Stream.concat(blocking.stream(), completePhaseErrors.stream())
                .sorted(Problem.ORDER).toList();
    }

    /**
     * This analysis as a run that skips complete phases sees it: the errors confined to complete phases become
     * warnings (and stay listed in {@link #completePhaseErrors()}).
     */
    public Analysis toleratingCompletePhaseErrors() {
        if (completePhaseErrors.isEmpty() || !errors.stream().anyMatch(completePhaseErrors::contains)) {
            return this;
        }
        List<Problem> moved = new java.util.ArrayList<>(warnings);
        completePhaseErrors.forEach(p -> moved.add(p.asWarning("")));
        return new Analysis(roadmap, phases, waves, maxParallelism, criticalPath, moved, errorsForRun(false),
                criticalPathTokens, graph, completePhaseErrors);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The analysed phase with this key. */
    public Optional<AnalyzedPhase> phase(String key) {
        return phases.stream().filter(p -> p.key().equals(key)).findFirst();
    }
}
