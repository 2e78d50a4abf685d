package io.phasegrid.common.analysis;

import io.phasegrid.common.roadmap.Phase;
import java.util.List;

/**
 * A phase with what the analysis found about it.
 *
 * @param phase the parsed phase
 * @param dependsOn resolved keys of declared dependencies
 * @param inferred inferred dependencies with reasons (empty when inference is off)
 * @param wave 1-based wave, 0 when the phase is not scheduled (backlog, or complete under {@code pendingOnly})
 * @param estimatedTokens estimated tokens for the whole phase
 * @param planWaves the phase's plan ids grouped in recomputed waves (Kahn levels over {@code depends_on})
 */
public record AnalyzedPhase(
        Phase phase,
        List<String> dependsOn,
        List<InferredDependency> inferred,
        int wave,
        long estimatedTokens,
        List<List<String>> planWaves) {

    public AnalyzedPhase {
        dependsOn = List.copyOf(dependsOn);
        inferred = List.copyOf(inferred);
        planWaves = planWaves.stream().map(List::copyOf).toList();
    }

    public String key() {
        return phase.key();
    }
}
