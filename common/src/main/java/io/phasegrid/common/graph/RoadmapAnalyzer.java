package io.phasegrid.common.graph;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.analysis.AnalyzedPhase;
import io.phasegrid.common.analysis.InferredDependency;
import io.phasegrid.common.analysis.PhaseEstimates;
import io.phasegrid.common.roadmap.Dependency;
import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Turns a parsed roadmap into an {@link Analysis}: dependency edges (declared and inferred), waves, the critical
 * path, token estimates and plan waves. Never throws for a bad roadmap: problems become warnings or errors, and
 * when there is an error the waves and the critical path are empty. See {@code docs/graph.md}.
 */
public final class RoadmapAnalyzer {

    /** At most this many disjoint cycles are reported. */
    static final int CYCLE_REPORT_LIMIT = 10;

    private RoadmapAnalyzer() {
    }

    public static Analysis analyze(Roadmap roadmap, AnalysisOptions options) {
        Objects.requireNonNull(roadmap, "roadmap");
        Objects.requireNonNull(options, "options");
        List<Problem> problems = new ArrayList<>(roadmap.problems());
        List<Phase> phases = roadmap.phases();
        int n = phases.size();
        if (n == 0) {
            // an input error (unreadable, binary, too large) already says why there are no phases
            if (problems.stream().noneMatch(Problem::isError)) {
                problems.add(Problem.of(ProblemCode.NO_PHASES, SourceRef.wholeFile(roadmap.source()),
                        "no phases found: expected headings like '## Phase 1: Name' or checklist lines like "
                                + "'- [ ] **Phase 1: Name**'"));
            }
            return result(roadmap, List.of(), List.of(), CriticalPath.EMPTY, problems,
                    PhaseGraph.builder(List.of()).build());
        }

        boolean[] backlog = new boolean[n];
        boolean[] nonBacklog = new boolean[n];
        boolean[] scheduled = new boolean[n];
        long[] estimates = new long[n];
        List<List<List<String>>> planWaves = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            Phase phase = phases.get(v);
            backlog[v] = phase.isBacklog();
            nonBacklog[v] = !backlog[v];
            scheduled[v] = isScheduled(phase, options.pendingOnly());
            estimates[v] = PhaseEstimates.estimate(phase, options.estimator());
            PlanWaves.Result plans = PlanWaves.compute(phase);
            planWaves.add(plans.waves());
            problems.addAll(plans.problems());
        }

        EdgeCollection edges = collectEdges(phases, options, backlog, nonBacklog, scheduled, problems);
        PhaseGraph graph = edges.builder().build();

        TopologicalLevels all = TopologicalLevels.compute(graph, nonBacklog);
        if (all.hasCycle()) {
            for (Cycle cycle : CycleFinder.find(graph, all.unordered(nonBacklog), CYCLE_REPORT_LIMIT)) {
                problems.add(Problem.of(ProblemCode.CYCLE, cycle.source(graph), cycle.describe(graph)));
            }
        }

        int[] wave = new int[n];
        List<List<String>> waves = List.of();
        CriticalPath criticalPath = CriticalPath.EMPTY;
        if (problems.stream().noneMatch(Problem::isError)) {
            TopologicalLevels levels = options.pendingOnly() ? TopologicalLevels.compute(graph, scheduled) : all;
            wave = levels.level();
            waves = wavesOf(graph, levels);
            criticalPath = CriticalPath.compute(graph, scheduled, levels.order(), estimates);
        }

        List<AnalyzedPhase> analyzed = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            analyzed.add(new AnalyzedPhase(phases.get(v), edges.declared().get(v), edges.inferred().get(v), wave[v],
                    estimates[v], planWaves.get(v)));
        }
        return result(roadmap, analyzed, waves, criticalPath, problems, graph);
    }

    private record EdgeCollection(PhaseGraph.Builder builder, List<List<String>> declared,
            List<List<InferredDependency>> inferred) {
    }

    private static EdgeCollection collectEdges(List<Phase> phases, AnalysisOptions options, boolean[] backlog,
            boolean[] nonBacklog, boolean[] scheduled, List<Problem> problems) {
        int n = phases.size();
        PhaseGraph.Builder builder = PhaseGraph.builder(phases.stream().map(Phase::key).toList());
        List<DependencyInference.Proposal> proposals = options.inferDependencies()
                ? DependencyInference.propose(phases, nonBacklog, scheduled, problems)
                : List.of();
        int[][] proposalsByDependent = groupByDependent(proposals, n);

        // stamp[u] == v + 1 means u is already a dependency of v
        int[] stamp = new int[n];
        List<List<String>> declared = new ArrayList<>(n);
        List<List<InferredDependency>> inferred = new ArrayList<>(n);
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
                declaredKeys.add(dependency.key());
            }
            declared.add(declaredKeys);

            List<InferredDependency> inferredHere = new ArrayList<>();
            for (int index : proposalsByDependent[v]) {
                DependencyInference.Proposal proposal = proposals.get(index);
                int u = proposal.dependency();
                if (stamp[u] == v + 1) {
                    continue;
                }
                stamp[u] = v + 1;
                if (u > v) {
                    problems.add(Problem.of(ProblemCode.FORWARD_DEPENDENCY, proposal.source(),
                            "phase " + phase.key() + " would depend on later phase " + phases.get(u).key() + " ("
                                    + proposal.reason() + "); an inferred dependency must point backwards in "
                                    + "roadmap order, so it is skipped: declare it if it is real"));
                    continue;
                }
                warnIfBacklogDependency(phases, backlog, u, v, proposal.source(), problems);
                builder.addEdge(u, v, proposal.kind(), proposal.reason(), proposal.source());
                inferredHere.add(new InferredDependency(phases.get(u).key(), proposal.reason()));
            }
            inferred.add(inferredHere);
        }
        return new EdgeCollection(builder, declared, inferred);
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

    /** Proposal indices per dependent phase, in proposal order (a stable counting sort). */
    private static int[][] groupByDependent(List<DependencyInference.Proposal> proposals, int n) {
        int[] counts = new int[n];
        for (DependencyInference.Proposal proposal : proposals) {
            counts[proposal.dependent()]++;
        }
        int[][] grouped = new int[n][];
        for (int v = 0; v < n; v++) {
            grouped[v] = new int[counts[v]];
            counts[v] = 0;
        }
        for (int i = 0; i < proposals.size(); i++) {
            int v = proposals.get(i).dependent();
            grouped[v][counts[v]++] = i;
        }
        return grouped;
    }

    private static List<List<String>> wavesOf(PhaseGraph graph, TopologicalLevels levels) {
        List<List<String>> waves = new ArrayList<>(levels.levelCount());
        for (int l = 0; l < levels.levelCount(); l++) {
            waves.add(new ArrayList<>());
        }
        int[] level = levels.level();
        for (int v = 0; v < graph.size(); v++) {
            if (level[v] > 0) {
                waves.get(level[v] - 1).add(graph.key(v));
            }
        }
        return waves;
    }

    /** Whether a phase takes part in the waves: not backlog, and under {@code pendingOnly} not complete. */
    private static boolean isScheduled(Phase phase, boolean pendingOnly) {
        return !phase.isBacklog() && !(pendingOnly && phase.isComplete());
    }

    /**
     * The waves of the phases still to do (not complete, not backlog) over an analysis' own graph, complete
     * dependencies counting as satisfied: what {@code analyze} with {@code pendingOnly} computes, for a check that
     * was given a full analysis. Empty when those phases have a cycle.
     */
    static List<List<String>> pendingWaves(Analysis analysis) {
        PhaseGraph graph = analysis.graph();
        boolean[] pending = new boolean[graph.size()];
        for (int v = 0; v < pending.length; v++) {
            pending[v] = isScheduled(analysis.phases().get(v).phase(), true);
        }
        TopologicalLevels levels = TopologicalLevels.compute(graph, pending);
        return levels.hasCycle() ? List.of() : wavesOf(graph, levels).stream().map(List::copyOf).toList();
    }

    private static Analysis result(Roadmap roadmap, List<AnalyzedPhase> phases, List<List<String>> waves,
            CriticalPath criticalPath, List<Problem> problems, PhaseGraph graph) {
        int maxParallelism = waves.stream().mapToInt(List::size).max().orElse(0);
        List<Problem> warnings = problems.stream().filter(p -> !p.isError()).toList();
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        return new Analysis(roadmap, phases, waves, maxParallelism, criticalPath.keys(), warnings, errors,
                criticalPath.tokens(), graph);
    }
}
