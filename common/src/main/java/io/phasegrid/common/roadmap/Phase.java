package io.phasegrid.common.roadmap;

import java.util.List;

/**
 * One phase of a roadmap.
 *
 * @param key unique within the roadmap: the normalised id, or {@code milestone/id} when the id alone is ambiguous
 * @param id the GSD id
 * @param name the name from the heading or checklist line
 * @param goal the {@code Goal} text, empty when absent
 * @param milestone the milestone it belongs to ({@code v1.0}), empty when the roadmap has none
 * @param status complete, pending or backlog
 * @param source where the phase is defined (its heading, else its checklist line)
 * @param dependsOn resolved declared dependencies, in the order written
 * @param dependsOnText the raw {@code Depends on} value, empty when absent
 * @param requirementCount number of requirement ids listed for the phase
 * @param successCriterionCount number of success criteria listed for the phase
 * @param plans the phase's PLAN files, in plan id order
 */
public record Phase(
        String key,
        PhaseId id,
        String name,
        String goal,
        String milestone,
        PhaseStatus status,
        SourceRef source,
        List<Dependency> dependsOn,
        String dependsOnText,
        int requirementCount,
        int successCriterionCount,
        List<Plan> plans) {

    public Phase {
        dependsOn = List.copyOf(dependsOn);
        plans = List.copyOf(plans);
    }

    public boolean isComplete() {
        return status == PhaseStatus.COMPLETE;
    }

    public boolean isBacklog() {
        return status == PhaseStatus.BACKLOG;
    }
}
