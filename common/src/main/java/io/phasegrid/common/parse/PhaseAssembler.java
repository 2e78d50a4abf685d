package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.PhaseId;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns phase definitions into phases. Definitions with the same id and the same name are one phase (a checklist entry
 * plus a detail heading is the normal pair; anything else defined twice is a {@code DUPLICATE_PHASE_DEFINITION});
 * different phases under one id are never merged: they get qualified keys (see {@link PhaseKeyAssigner}).
 */
final class PhaseAssembler {

    private PhaseAssembler() {
    }

    static List<PhaseDraft> assemble(String file, List<PhaseDefinition> definitions, List<MilestoneRange> ranges,
            List<Problem> problems) {
        List<PhaseDraft> drafts = new ArrayList<>();
        Map<PhaseId, List<PhaseDraft>> byId = new HashMap<>();
        for (PhaseDefinition d : definitions) {
            List<PhaseDraft> sameId = byId.computeIfAbsent(d.id, k -> new ArrayList<>());
            PhaseDraft target = sameName(sameId, d);
            if (target != null) {
                if (target.has(d.kind) || (isListEntry(d) && (target.has(PhaseDefinition.Kind.CHECKLIST)
                        || target.has(PhaseDefinition.Kind.LISTED)))) {
                    PhaseDefinition first = firstOfKind(target, d);
                    problems.add(Problem.of(ProblemCode.DUPLICATE_PHASE_DEFINITION, SourceRef.of(file, d.line),
                            "Phase " + d.id + " '" + target.name() + "' is defined again (first at line "
                                    + first.line + "); read as one phase"));
                }
                target.definitions.add(d);
                continue;
            }
            target = counterpart(sameId, d);
            if (target != null) {
                target.definitions.add(d);
                continue;
            }
            PhaseDraft draft = new PhaseDraft(d.id, d);
            sameId.add(draft);
            drafts.add(draft);
        }
        for (PhaseDraft draft : drafts) {
            draft.milestone = milestoneOf(draft, ranges);
        }
        PhaseKeyAssigner.assign(file, drafts, problems);
        return drafts;
    }

    private static PhaseDraft sameName(List<PhaseDraft> candidates, PhaseDefinition d) {
        for (PhaseDraft c : candidates) {
            if (PhaseNames.sameName(c.name(), d.name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * A checklist entry and a heading of the same id in the same milestone are the same phase even when the checklist
     * abbreviates the name, as long as the id is not otherwise in use.
     */
    private static PhaseDraft counterpart(List<PhaseDraft> candidates, PhaseDefinition d) {
        if (candidates.size() != 1) {
            return null;
        }
        PhaseDraft c = candidates.get(0);
        boolean complements = isListEntry(d)
                ? !c.has(PhaseDefinition.Kind.CHECKLIST) && !c.has(PhaseDefinition.Kind.LISTED)
                : !c.has(PhaseDefinition.Kind.HEADING);
        String m = c.definitions.get(0).milestone;
        boolean sameMilestone = m.isEmpty() || d.milestone.isEmpty() || m.equals(d.milestone);
        return complements && sameMilestone ? c : null;
    }

    private static boolean isListEntry(PhaseDefinition d) {
        return d.kind != PhaseDefinition.Kind.HEADING;
    }

    private static PhaseDefinition firstOfKind(PhaseDraft draft, PhaseDefinition d) {
        for (PhaseDefinition existing : draft.definitions) {
            if (isListEntry(existing) == isListEntry(d)) {
                return existing;
            }
        }
        return draft.definitions.get(0);
    }

    /** The heading's milestone, else any definition's, else the first declared milestone range containing the id. */
    private static String milestoneOf(PhaseDraft draft, List<MilestoneRange> ranges) {
        String primary = draft.primary().milestone;
        if (!primary.isEmpty()) {
            return primary;
        }
        for (PhaseDefinition d : draft.definitions) {
            if (!d.milestone.isEmpty()) {
                return d.milestone;
            }
        }
        for (MilestoneRange range : ranges) {
            if (range.contains(draft.id)) {
                return range.milestone();
            }
        }
        return "";
    }

    /** Assigns keys: the normalised id, or {@code <milestone>/<id>} (plus {@code #n}) when the id is ambiguous. */
    static final class PhaseKeyAssigner {

        private PhaseKeyAssigner() {
        }

        static void assign(String file, List<PhaseDraft> drafts, List<Problem> problems) {
            Map<PhaseId, List<PhaseDraft>> groups = new LinkedHashMap<>();
            for (PhaseDraft d : drafts) {
                groups.computeIfAbsent(d.id, k -> new ArrayList<>()).add(d);
            }
            Set<String> restartReported = new HashSet<>();
            for (List<PhaseDraft> group : groups.values()) {
                if (group.size() == 1) {
                    group.get(0).key = group.get(0).id.normalized();
                    continue;
                }
                Map<String, Integer> seen = new HashMap<>();
                for (PhaseDraft d : group) {
                    String base = d.milestone.isEmpty() ? d.id.normalized() : d.milestone + "/" + d.id.normalized();
                    int n = seen.merge(base, 1, Integer::sum);
                    d.key = n == 1 ? base : base + "#" + n;
                }
                PhaseDraft first = group.get(0);
                Set<String> milestonesSoFar = new HashSet<>();
                milestonesSoFar.add(first.milestone);
                for (PhaseDraft d : group.subList(1, group.size())) {
                    boolean newMilestone = !d.milestone.isEmpty() && !milestonesSoFar.contains(d.milestone);
                    if (newMilestone) {
                        if (restartReported.add(d.milestone)) {
                            problems.add(Problem.of(ProblemCode.NUMBERING_RESTART, SourceRef.of(file, d.line()),
                                    "phase numbering restarts in milestone " + d.milestone + ": Phase " + d.id
                                            + " '" + d.name() + "' reuses an id of an earlier milestone ('"
                                            + first.name() + "', line " + first.line() + "); ids that repeat are keyed "
                                            + "<milestone>/<id>, here " + d.key + " and " + first.key));
                        }
                    } else {
                        problems.add(Problem.of(ProblemCode.DUPLICATE_PHASE_ID, SourceRef.of(file, d.line()),
                                "Phase " + d.id + " '" + d.name() + "' uses the id of a different phase '"
                                        + first.name() + "' (line " + first.line() + "); both kept, keyed "
                                        + first.key + " and " + d.key));
                    }
                    milestonesSoFar.add(d.milestone);
                }
            }
        }
    }
}
