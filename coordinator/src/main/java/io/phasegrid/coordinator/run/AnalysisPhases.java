package io.phasegrid.coordinator.run;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalyzedPhase;
import io.phasegrid.common.analysis.InferredDependency;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The phases of an analysed roadmap as a run compiles them ({@link RunBlueprint#compile}): backlog phases left out
 * unless listed, dependencies declared + inferred, cycles confined to skipped complete phases cut.
 */
final class AnalysisPhases {

    private AnalysisPhases() {
    }

    /** See {@link RunBlueprint#compile}; throws {@link IllegalArgumentException} for the same reasons. */
    static List<RunBlueprint.PhaseDef> of(Analysis analysis, RunSettings settings) {
        List<Problem> refusing = analysis.errorsForRun(settings.includeComplete());
        if (!refusing.isEmpty()) {
            throw new IllegalArgumentException("the roadmap cannot run: " + refusing.get(0));
        }
        // a cycle confined to complete phases (tolerated above) must not reach the run graph: they are skipped
        Set<String> skippedCycles = new HashSet<>();
        if (!settings.includeComplete() && !analysis.completePhaseErrors().isEmpty()) {
            analysis.phases().stream().filter(p -> p.phase().isComplete()).forEach(p -> skippedCycles.add(p.key()));
        }
        Set<String> backlogWanted = new HashSet<>(settings.includeBacklog());
        Set<String> excluded = new HashSet<>();
        for (AnalyzedPhase p : analysis.phases()) {
            if (p.phase().isBacklog() && !backlogWanted.remove(p.key())) {
                excluded.add(p.key());
            }
        }
        if (!backlogWanted.isEmpty()) {
            throw new IllegalArgumentException("include_backlog names phases that are not backlog phases of the "
                    + "roadmap: " + String.join(", ", new TreeSet<>(backlogWanted)));
        }
        List<RunBlueprint.PhaseDef> defs = new ArrayList<>();
        for (AnalyzedPhase p : analysis.phases()) {
            if (excluded.contains(p.key())) {
                continue;
            }
            Set<String> depKeys = new LinkedHashSet<>(p.dependsOn());
            for (InferredDependency inferred : p.inferred()) {
                depKeys.add(inferred.key());
            }
            for (String dep : depKeys) {
                if (excluded.contains(dep) && !(p.phase().isComplete() && !settings.includeComplete())) {
                    throw new IllegalArgumentException("phase " + p.key() + " depends on backlog phase " + dep
                            + ", which the run leaves out (add it to include_backlog)");
                }
            }
            depKeys.removeAll(excluded);
            if (skippedCycles.contains(p.key())) {
                depKeys.removeAll(skippedCycles);
            }
            List<RunBlueprint.PlanRef> plans = new ArrayList<>();
            for (Plan plan : p.phase().plans()) {
                plans.add(new RunBlueprint.PlanRef(plan.id(), plan.source().file()));
            }
            Set<String> inferred = new HashSet<>(depKeys);
            inferred.removeAll(p.dependsOn());
            defs.add(new RunBlueprint.PhaseDef(p.key(), p.phase().name(), p.estimatedTokens(), List.copyOf(depKeys),
                    p.phase().isComplete(), plans, inferred));
        }
        return defs;
    }
}
