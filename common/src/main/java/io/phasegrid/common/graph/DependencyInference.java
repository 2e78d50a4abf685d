package io.phasegrid.common.graph;

import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.PhaseLookup;
import io.phasegrid.common.roadmap.PhaseReference;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proposes dependencies the roadmap does not declare. The analyser decides which proposals become edges (no
 * duplicates of declared ones, no forward edges).
 *
 * <ul>
 *   <li>Summary references of a phase's plans ({@code @...SUMMARY.md} includes, summary {@code requires}): the
 *       referenced id resolves by {@link PhaseLookup}, the rule declared dependencies use. A choice among several
 *       (other than the only one in the same milestone) is reported as {@code AMBIGUOUS_DEPENDENCY}; an id no phase
 *       has as {@code UNKNOWN_DEPENDENCY}.</li>
 *   <li>Shared files: walking the {@code chained} phases in roadmap order, a phase whose plan modifies a file is
 *       ordered after the closest earlier phase whose plan modified the same file. Chaining neighbours orders every
 *       pair transitively without quadratic edge counts.</li>
 * </ul>
 */
final class DependencyInference {

    /** A proposed edge {@code dependency -> dependent}. */
    record Proposal(int dependency, int dependent, EdgeKind kind, String reason, SourceRef source) {
    }

    private DependencyInference() {
    }

    /**
     * @param referring phases whose summary references are followed (not backlog)
     * @param chained phases that take part in shared-file ordering
     */
    static List<Proposal> propose(List<Phase> phases, boolean[] referring, boolean[] chained, List<Problem> problems) {
        List<Proposal> proposals = new ArrayList<>();
        Map<String, List<Integer>> indicesById = new HashMap<>();
        for (int i = 0; i < phases.size(); i++) {
            indicesById.computeIfAbsent(phases.get(i).id().normalized(), id -> new ArrayList<>()).add(i);
        }
        for (int v = 0; v < phases.size(); v++) {
            if (!referring[v]) {
                continue;
            }
            Phase phase = phases.get(v);
            for (Plan plan : phase.plans()) {
                for (PhaseReference reference : plan.references()) {
                    int u = resolve(phases, indicesById, v, reference, problems);
                    if (u >= 0 && u != v) {
                        EdgeKind kind = reference.kind() == PhaseReference.Kind.SUMMARY_INCLUDE
                                ? EdgeKind.SUMMARY_INCLUDE
                                : EdgeKind.SUMMARY_REQUIRES;
                        proposals.add(new Proposal(u, v, kind, InferenceReasons.reference(plan.id(), reference),
                                reference.source()));
                    }
                }
            }
        }
        proposeSharedFiles(phases, chained, proposals);
        return proposals;
    }

    private static int resolve(List<Phase> phases, Map<String, List<Integer>> indicesById, int referrer,
            PhaseReference reference, List<Problem> problems) {
        if (reference.phaseId().equals(phases.get(referrer).id().normalized())) {
            return -1;
        }
        List<Integer> candidates = indicesById.getOrDefault(reference.phaseId(), List.of());
        PhaseLookup.Resolution<Integer> resolution = PhaseLookup.resolve(candidates, referrer,
                i -> phases.get(i).milestone(), i -> i);
        if (resolution.rule() == PhaseLookup.Rule.NOT_FOUND) {
            problems.add(Problem.of(ProblemCode.UNKNOWN_DEPENDENCY, reference.source(),
                    "phase " + phases.get(referrer).key() + ": " + reference.text() + " refers to phase "
                            + reference.phaseId() + ", which is not in the roadmap; no dependency inferred"));
            return -1;
        }
        // a plan of a milestone's own phase folder naming that milestone's phase is certain: no warning for it
        if (resolution.ambiguous() && resolution.rule() != PhaseLookup.Rule.SAME_MILESTONE) {
            problems.add(Problem.of(ProblemCode.AMBIGUOUS_DEPENDENCY, reference.source(),
                    "phase " + phases.get(referrer).key() + ": " + reference.text() + " refers to "
                            + resolution.describe(phases.get(candidates.get(0)).id(), i -> phases.get(i).key())));
        }
        return resolution.chosen();
    }

    private static void proposeSharedFiles(List<Phase> phases, boolean[] chained, List<Proposal> proposals) {
        record LastWriter(int phase, String planId) {
        }
        Map<String, LastWriter> lastWriterByFile = new HashMap<>();
        for (int v = 0; v < phases.size(); v++) {
            if (!chained[v]) {
                continue;
            }
            Map<String, Plan> firstPlanByFile = new HashMap<>();
            List<String> filesInOrder = new ArrayList<>();
            for (Plan plan : phases.get(v).plans()) {
                for (String file : plan.filesModified()) {
                    if (firstPlanByFile.putIfAbsent(file, plan) == null) {
                        filesInOrder.add(file);
                    }
                }
            }
            for (String file : filesInOrder) {
                Plan plan = firstPlanByFile.get(file);
                LastWriter last = lastWriterByFile.put(file, new LastWriter(v, plan.id()));
                if (last != null) {
                    proposals.add(new Proposal(last.phase(), v, EdgeKind.SHARED_FILE,
                            InferenceReasons.sharedFile(file, last.planId(), plan.id()), plan.source()));
                }
            }
        }
    }
}
