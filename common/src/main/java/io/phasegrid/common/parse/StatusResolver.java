package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseStatus;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.List;

/**
 * Decides a phase's status (docs/parsing.md, "Status"). COMPLETE when any of: checked {@code [x]}; inside a collapsed
 * {@code <details>} history block; the heading says complete; under a shipped milestone heading with no checklist
 * entry; no checklist entry and every plan box in its section checked; it has plans and every plan has a SUMMARY.
 * Otherwise BACKLOG for {@code 999.x} ids and phases under a Backlog heading, else PENDING. Disagreement between the
 * checklist and the SUMMARY files is a {@code STATUS_CONFLICT} warning.
 */
final class StatusResolver {

    private StatusResolver() {
    }

    static void resolve(String file, PhaseDraft draft, List<Problem> problems) {
        boolean checked = false;
        PhaseDefinition uncheckedEntry = null;
        PhaseDefinition checkedEntry = null;
        boolean history = false;
        boolean marker = false;
        boolean shipped = false;
        boolean backlog = draft.id.isBacklog();
        boolean hasChecklist = false;
        int boxes = 0;
        int checkedBoxes = 0;
        for (PhaseDefinition d : draft.definitions) {
            if (d.checked != null) {
                hasChecklist = true;
                if (d.checked) {
                    checked = true;
                    checkedEntry = checkedEntry == null ? d : checkedEntry;
                } else if (uncheckedEntry == null) {
                    uncheckedEntry = d;
                }
            }
            history |= d.history;
            marker |= d.completeMarker;
            shipped |= d.shippedMilestone;
            backlog |= d.backlogSection;
            boxes += d.planBoxes;
            checkedBoxes += d.checkedPlanBoxes;
        }
        List<Plan> plans = draft.plans;
        boolean allSummaries = !plans.isEmpty() && plans.stream().allMatch(Plan::hasSummary);
        boolean roadmapSaysDone = checked || history || marker
                || (!hasChecklist && shipped)
                || (!hasChecklist && boxes > 0 && boxes == checkedBoxes);
        if (roadmapSaysDone) {
            draft.status = PhaseStatus.COMPLETE;
            if (checked && !plans.isEmpty() && !allSummaries) {
                List<String> open = plans.stream().filter(p -> !p.hasSummary()).map(Plan::id).toList();
                problems.add(Problem.of(ProblemCode.STATUS_CONFLICT, SourceRef.of(file, checkedEntry.line),
                        "Phase " + draft.key + " is checked off but plans " + String.join(", ", open)
                                + " have no SUMMARY; read as complete (the checklist wins)"));
            }
        } else if (allSummaries) {
            draft.status = PhaseStatus.COMPLETE;
            if (uncheckedEntry != null) {
                problems.add(Problem.of(ProblemCode.STATUS_CONFLICT, SourceRef.of(file, uncheckedEntry.line),
                        "Phase " + draft.key + " is not checked off but all " + plans.size()
                                + " plans have a SUMMARY; read as complete"));
            }
        } else if (backlog) {
            draft.status = PhaseStatus.BACKLOG;
        } else {
            draft.status = PhaseStatus.PENDING;
        }
    }
}
