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
        PhaseGraph graph) {

    public Analysis {
        phases = List.copyOf(phases);
        waves = waves.stream().map(List::copyOf).toList();
        criticalPath = List.copyOf(criticalPath);
        warnings = warnings.stream().sorted(Problem.ORDER).toList();
        errors = errors.stream().sorted(Problem.ORDER).toList();
        Objects.requireNonNull(graph, "graph");
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The analysed phase with this key. */
    public Optional<AnalyzedPhase> phase(String key) {
        return phases.stream().filter(p -> p.key().equals(key)).findFirst();
    }
}
