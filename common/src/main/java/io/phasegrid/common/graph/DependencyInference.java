package io.phasegrid.common.graph;

import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.PhaseLookup;
import io.phasegrid.common.roadmap.PhaseReference;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proposes dependencies the roadmap does not declare. The analyser decides which proposals become edges (no
 * duplicates of declared ones, none that would close a cycle).
 *
 * <ul>
 *   <li>Summary references of a phase's plans ({@code @...SUMMARY.md} includes, summary {@code requires}): the
 *       referenced id resolves by {@link PhaseLookup}, the rule declared dependencies use. A choice among several
 *       (other than the only one in the same milestone) is reported as {@code AMBIGUOUS_DEPENDENCY}; an id no phase
 *       has as {@code UNKNOWN_DEPENDENCY}.</li>
 *   <li>Shared files: a pair of phases whose plans modify the same file must not run at once, in either order. The
 *       pair is oriented by the {@link InferenceOrder} of the declared graph (plus accepted summary references), so
 *       it never contradicts a declared dependency: the phases modifying a file, sorted in that order, are chained
 *       neighbour to neighbour, which orders every pair transitively without quadratic edge counts.</li>
 * </ul>
 */
final class DependencyInference {

    /** A proposed edge {@code dependency -> dependent}. */
    record Proposal(int dependency, int dependent, EdgeKind kind, String reason, SourceRef source) {
    }

    /** A phase modifying a file, with its first plan that does. */
    private record Writer(int phase, Plan plan) {
    }

    private DependencyInference() {
    }

    /** @param referring phases whose summary references are followed (not backlog) */
    static List<Proposal> references(List<Phase> phases, boolean[] referring, List<Problem> problems) {
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

    /**
     * Shared-file proposals, each from the earlier to the later phase of a pair in {@code position} order.
     *
     * @param chained phases that take part in shared-file ordering
     * @param pending the chained phases a run executes, chained among themselves too (so that a complete phase
     *     between two of them, which a run skips, does not leave them unordered); null when all chained ones run
     * @param position each phase's place in the {@link InferenceOrder}
     * @param cycles the declared graph's components: phases on a common declared cycle get no order, with a warning
     */
    static List<Proposal> sharedFiles(List<Phase> phases, boolean[] chained, boolean[] pending, int[] position,
            StrongComponents cycles, List<Problem> problems) {
        Map<String, List<Writer>> writersByFile = new LinkedHashMap<>();
        for (int v = 0; v < phases.size(); v++) {
            if (!chained[v]) {
                continue;
            }
            Map<String, Plan> firstPlanByFile = new LinkedHashMap<>();
            for (Plan plan : phases.get(v).plans()) {
                for (String file : plan.filesModified()) {
                    firstPlanByFile.putIfAbsent(file, plan);
                }
            }
            for (Map.Entry<String, Plan> entry : firstPlanByFile.entrySet()) {
                writersByFile.computeIfAbsent(entry.getKey(), f -> new ArrayList<>())
                        .add(new Writer(v, entry.getValue()));
            }
        }
        List<Proposal> proposals = new ArrayList<>();
        for (Map.Entry<String, List<Writer>> entry : writersByFile.entrySet()) {
            List<Writer> writers = entry.getValue();
            if (writers.size() < 2) {
                continue;
            }
            writers.sort(Comparator.comparingInt(w -> position[w.phase()]));
            String file = entry.getKey();
            Writer previousPending = null;
            for (int i = 0; i < writers.size(); i++) {
                Writer writer = writers.get(i);
                if (i > 0) {
                    chain(phases, file, writers.get(i - 1), writer, cycles, proposals, problems);
                }
                if (pending != null && pending[writer.phase()]) {
                    if (previousPending != null && previousPending != writers.get(i - 1)) {
                        chain(phases, file, previousPending, writer, cycles, proposals, problems);
                    }
                    previousPending = writer;
                }
            }
        }
        return proposals;
    }

    private static void chain(List<Phase> phases, String file, Writer earlierWriter, Writer laterWriter,
            StrongComponents cycles, List<Proposal> proposals, List<Problem> problems) {
        int earlier = earlierWriter.phase();
        int later = laterWriter.phase();
        Plan earlierPlan = earlierWriter.plan();
        Plan laterPlan = laterWriter.plan();
        if (cycles.onACommonCycle(earlier, later)) {
            problems.add(Problem.of(ProblemCode.FORWARD_DEPENDENCY, laterPlan.source(),
                    "phases " + phases.get(earlier).key() + " and " + phases.get(later).key() + " "
                            + InferenceReasons.sharedFile(file, earlierPlan.id(), laterPlan.id())
                            + ", but they are on a declared dependency cycle, so no order is inferred between them"));
            return;
        }
        proposals.add(new Proposal(earlier, later, EdgeKind.SHARED_FILE,
                InferenceReasons.sharedFile(file, earlierPlan.id(), laterPlan.id()), laterPlan.source()));
    }
}
