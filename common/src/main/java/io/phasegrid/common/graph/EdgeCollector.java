package io.phasegrid.common.graph;

import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.analysis.InferredDependency;
import io.phasegrid.common.roadmap.Dependency;
import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Collects a roadmap's dependency edges: the declared ones as written, then the inferred ones, which never contradict
 * them. Summary references are accepted unless they would close a cycle ({@link CycleGuard}); shared-file pairs are
 * oriented along the declared graph and the accepted references ({@link InferenceOrder}). A dropped inference is a
 * {@code FORWARD_DEPENDENCY} warning naming both phases and the line that suggested it. So every cycle of the result
 * is made of declared edges only. See {@code docs/graph.md}.
 */
final class EdgeCollector {

    /**
     * @param builder every edge, declared ones first
     * @param declaredGraph the declared edges only: cycles are searched there
     */
    record Edges(PhaseGraph.Builder builder, PhaseGraph declaredGraph, List<List<String>> declared,
            List<List<InferredDependency>> inferred) {
    }

    private EdgeCollector() {
    }

    static Edges collect(List<Phase> phases, AnalysisOptions options, boolean[] backlog, boolean[] nonBacklog,
            boolean[] scheduled, List<Problem> problems) {
        int n = phases.size();
        List<String> keys = phases.stream().map(Phase::key).toList();
        PhaseGraph.Builder builder = PhaseGraph.builder(keys);
        PhaseGraph.Builder declaredBuilder = PhaseGraph.builder(keys);
        // stamp[u] == v + 1 means u is already a dependency of v
        int[] stamp = new int[n];
        List<List<String>> declared = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            Phase phase = phases.get(v);
            List<String> declaredKeys = new ArrayList<>(phase.dependsOn().size());
            for (Dependency dependency : phase.dependsOn()) {
                OptionalInt resolved = builder.indexOf(dependency.key());
                if (resolved.isEmpty()) {
                    problems.add(Problem.of(ProblemCode.UNKNOWN_DEPENDENCY, dependency.source(),
                            "phase " + phase.key() + " depends on " + dependency.text() + " (key "
                                    + dependency.key() + "), which is not in the roadmap; ignored"));
                    continue;
                }
                int u = resolved.getAsInt();
                if (u == v) {
                    problems.add(Problem.of(ProblemCode.SELF_DEPENDENCY, dependency.source(),
                            "phase " + phase.key() + " depends on itself; ignored"));
                    continue;
                }
                if (stamp[u] == v + 1) {
                    continue;
                }
                stamp[u] = v + 1;
                warnIfBacklogDependency(phases, backlog, u, v, dependency.source(), problems);
                builder.addEdge(u, v, EdgeKind.DECLARED, null, dependency.source());
                declaredBuilder.addEdge(u, v, EdgeKind.DECLARED, null, dependency.source());
                declaredKeys.add(dependency.key());
            }
            declared.add(declaredKeys);
        }
        PhaseGraph declaredGraph = declaredBuilder.build();

        List<List<InferredDependency>> inferred = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            inferred.add(new ArrayList<>());
        }
        if (options.inferDependencies()) {
            List<DependencyInference.Proposal> proposals = inferredProposals(phases, options, nonBacklog, scheduled,
                    declaredGraph, problems);
            Arrays.fill(stamp, 0);
            int stamped = -1;
            for (int index : groupByDependent(proposals, n)) {
                DependencyInference.Proposal proposal = proposals.get(index);
                int u = proposal.dependency();
                int v = proposal.dependent();
                if (v != stamped) {
                    stampDeclared(declaredGraph, v, stamp);
                    stamped = v;
                }
                if (stamp[u] == v + 1) {
                    continue;
                }
                stamp[u] = v + 1;
                warnIfBacklogDependency(phases, backlog, u, v, proposal.source(), problems);
                builder.addEdge(u, v, proposal.kind(), proposal.reason(), proposal.source());
                inferred.get(v).add(new InferredDependency(phases.get(u).key(), proposal.reason()));
            }
        }
        return new Edges(builder, declaredGraph, declared, inferred);
    }

    /** Accepted summary references, then the shared-file pairs oriented along the declared graph and those. */
    private static List<DependencyInference.Proposal> inferredProposals(List<Phase> phases, AnalysisOptions options,
            boolean[] nonBacklog, boolean[] scheduled, PhaseGraph declaredGraph, List<Problem> problems) {
        int n = phases.size();
        List<DependencyInference.Proposal> references = new ArrayList<>();
        int[] stamp = new int[n];
        int stamped = -1;
        // proposals come by dependent in roadmap order: one stamping of each dependent's declared dependencies
        for (DependencyInference.Proposal p : DependencyInference.references(phases, nonBacklog, problems)) {
            if (p.dependent() != stamped) {
                stampDeclared(declaredGraph, p.dependent(), stamp);
                stamped = p.dependent();
            }
            if (stamp[p.dependency()] != p.dependent() + 1) {
                stamp[p.dependency()] = p.dependent() + 1;
                references.add(p);
            }
        }
        CycleGuard.Result guard = CycleGuard.check(declaredGraph,
                references.stream().map(p -> new int[] {p.dependency(), p.dependent()}).toList());
        List<String> keys = phases.stream().map(Phase::key).toList();
        PhaseGraph.Builder ordering = PhaseGraph.builder(keys);
        for (int e = 0; e < declaredGraph.edgeCount(); e++) {
            ordering.addEdge(declaredGraph.edgeFrom(e), declaredGraph.edgeTo(e), EdgeKind.DECLARED, "", null);
        }
        List<DependencyInference.Proposal> accepted = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            DependencyInference.Proposal p = references.get(i);
            if (guard.accepted()[i]) {
                accepted.add(p);
                ordering.addEdge(p.dependency(), p.dependent(), p.kind(), "", null);
            } else {
                problems.add(Problem.of(ProblemCode.FORWARD_DEPENDENCY, p.source(),
                        droppedReference(phases, p, guard.cycles()[i])));
            }
        }
        boolean[] everyPhase = new boolean[n];
        Arrays.fill(everyPhase, true);
        // accepted references close no cycle, so the declared graph's components are those of the ordering graph
        StrongComponents declaredCycles = StrongComponents.of(declaredGraph, everyPhase);
        int[] position = InferenceOrder.positions(ordering.build(), declaredCycles);
        boolean[] pending = null;
        if (!options.pendingOnly()) {
            pending = new boolean[n];
            for (int v = 0; v < n; v++) {
                pending[v] = scheduled[v] && !phases.get(v).isComplete();
            }
        }
        accepted.addAll(DependencyInference.sharedFiles(phases, scheduled, pending, position, declaredCycles,
                problems));
        return accepted;
    }

    private static String droppedReference(List<Phase> phases, DependencyInference.Proposal p, int[] cycle) {
        int u = p.dependency();
        int v = p.dependent();
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < cycle.length && i < Cycle.MAX_PRINTED_STEPS; i++) {
            path.append(i == 0 ? "" : " -> ").append(phases.get(cycle[i]).key());
        }
        if (cycle.length > Cycle.MAX_PRINTED_STEPS) {
            path.append(" -> ... -> ").append(phases.get(v).key());
        }
        return "phase " + phases.get(v).key() + " would depend on " + (u > v ? "later " : "") + "phase "
                + phases.get(u).key() + " (" + p.reason() + "), but " + phases.get(u).key()
                + " already depends on " + phases.get(v).key() + " (" + path + "): an inferred dependency must not "
                + "close a cycle, so it is skipped; declare it if it is real";
    }

    /** Marks {@code stamp[u] = v + 1} for every declared dependency {@code u} of {@code v}. */
    private static void stampDeclared(PhaseGraph declared, int v, int[] stamp) {
        for (int s = declared.predecessorStart(v); s < declared.predecessorEnd(v); s++) {
            stamp[declared.predecessor(s)] = v + 1;
        }
    }

    private static void warnIfBacklogDependency(List<Phase> phases, boolean[] backlog, int dependency, int dependent,
            SourceRef source, List<Problem> problems) {
        if (backlog[dependency] && !backlog[dependent]) {
            problems.add(Problem.of(ProblemCode.BACKLOG_DEPENDENCY, source,
                    "phase " + phases.get(dependent).key() + " depends on backlog phase "
                            + phases.get(dependency).key() + ", which is not scheduled; the dependency is ignored "
                            + "for waves"));
        }
    }

    /** Proposal indices ordered by dependent, in proposal order within one dependent (a stable counting sort). */
    private static int[] groupByDependent(List<DependencyInference.Proposal> proposals, int n) {
        int[] start = new int[n + 1];
        for (DependencyInference.Proposal proposal : proposals) {
            start[proposal.dependent() + 1]++;
        }
        for (int v = 0; v < n; v++) {
            start[v + 1] += start[v];
        }
        int[] sorted = new int[proposals.size()];
        for (int i = 0; i < proposals.size(); i++) {
            sorted[start[proposals.get(i).dependent()]++] = i;
        }
        return sorted;
    }
}
