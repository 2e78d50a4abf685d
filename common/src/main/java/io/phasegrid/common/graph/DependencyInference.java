package io.phasegrid.common.graph;

import io.phasegrid.common.roadmap.Phase;
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
 *       referenced id resolves to a phase of the same milestone first, else to the only phase with that id, else to
 *       the nearest phase with that id before the referring one (else the nearest after it). A choice among several
 *       is reported as {@code AMBIGUOUS_DEPENDENCY}; an id no phase has as {@code UNKNOWN_DEPENDENCY}.</li>
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
        if (candidates.isEmpty()) {
            problems.add(Problem.of(ProblemCode.UNKNOWN_DEPENDENCY, reference.source(),
                    "phase " + phases.get(referrer).key() + ": " + reference.text() + " refers to phase "
                            + reference.phaseId() + ", which is not in the roadmap; no dependency inferred"));
            return -1;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        String milestone = phases.get(referrer).milestone();
        List<Integer> sameMilestone = candidates.stream()
                .filter(i -> phases.get(i).milestone().equals(milestone))
                .toList();
        if (sameMilestone.size() == 1) {
            return sameMilestone.get(0);
        }
        List<Integer> pool = sameMilestone.isEmpty() ? candidates : sameMilestone;
        int chosen = -1;
        for (int i : pool) {
            if (i < referrer) {
                chosen = i;
            }
        }
        String rule = "the nearest preceding one";
        if (chosen < 0) {
            chosen = pool.get(0);
            rule = "the nearest following one (none precedes it)";
        }
        problems.add(Problem.of(ProblemCode.AMBIGUOUS_DEPENDENCY, reference.source(),
                "phase " + phases.get(referrer).key() + ": " + reference.text() + " matches " + pool.size()
                        + " phases with id " + reference.phaseId() + "; using " + phases.get(chosen).key() + ", "
                        + rule));
        return chosen;
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
