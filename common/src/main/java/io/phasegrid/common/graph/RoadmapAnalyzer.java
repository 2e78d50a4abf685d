package io.phasegrid.common.graph;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.analysis.AnalyzedPhase;
import io.phasegrid.common.analysis.PhaseEstimates;
import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
                    PhaseGraph.builder(List.of()).build(), List.of());
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
            for (Plan plan : PhaseEstimates.oversized(phase)) {
                problems.add(Problem.of(ProblemCode.INVALID_FRONTMATTER, plan.source(), "estimated_tokens "
                        + plan.estimatedTokens() + " is over the largest estimate, 10^15 tokens; counted as 10^15"));
            }
            PlanWaves.Result plans = PlanWaves.compute(phase);
            planWaves.add(plans.waves());
            problems.addAll(plans.problems());
        }

        EdgeCollector.Edges edges = EdgeCollector.collect(phases, options, backlog, nonBacklog, scheduled, problems);
        PhaseGraph graph = edges.builder().build();
        List<Problem> completePhaseErrors = reportCycles(phases, edges.declaredGraph(), nonBacklog, problems);

        int[] wave = new int[n];
        List<List<String>> waves = List.of();
        CriticalPath criticalPath = CriticalPath.EMPTY;
        if (problems.stream().noneMatch(Problem::isError)) {
            TopologicalLevels levels = TopologicalLevels.compute(graph, scheduled);
            wave = levels.level();
            waves = wavesOf(graph, levels);
            criticalPath = CriticalPath.compute(graph, scheduled, levels.order(), estimates);
        }

        List<AnalyzedPhase> analyzed = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            analyzed.add(new AnalyzedPhase(phases.get(v), edges.declared().get(v), edges.inferred().get(v), wave[v],
                    estimates[v], planWaves.get(v)));
        }
        return result(roadmap, analyzed, waves, criticalPath, problems, graph, completePhaseErrors);
    }

    /**
     * Reports the declared graph's cycles (inferred edges never close one) as {@code CYCLE} errors and returns those
     * confined to complete phases: cycles whose strongly connected component has only complete phases, which a run
     * of the pending phases skips.
     */
    private static List<Problem> reportCycles(List<Phase> phases, PhaseGraph declared, boolean[] nonBacklog,
            List<Problem> problems) {
        StrongComponents components = StrongComponents.of(declared, nonBacklog);
        int n = phases.size();
        boolean[] componentHasPending = new boolean[components.size().length];
        boolean any = false;
        for (int v = 0; v < n; v++) {
            if (components.onACycle(v)) {
                any = true;
                componentHasPending[components.component()[v]] |= !phases.get(v).isComplete();
            }
        }
        if (!any) {
            return List.of();
        }
        boolean[] blocking = new boolean[n];
        boolean[] complete = new boolean[n];
        for (int v = 0; v < n; v++) {
            if (components.onACycle(v)) {
                (componentHasPending[components.component()[v]] ? blocking : complete)[v] = true;
            }
        }
        for (Cycle cycle : CycleFinder.find(declared, blocking, CYCLE_REPORT_LIMIT)) {
            problems.add(Problem.of(ProblemCode.CYCLE, cycle.source(declared), cycle.describe(declared)));
        }
        List<Problem> confined = new ArrayList<>();
        for (Cycle cycle : CycleFinder.find(declared, complete, CYCLE_REPORT_LIMIT)) {
            confined.add(Problem.of(ProblemCode.CYCLE, cycle.source(declared), cycle.describe(declared)
                    + "; every phase on it is complete, so a run of the pending phases skips it"));
        }
        problems.addAll(confined);
        return confined;
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
            CriticalPath criticalPath, List<Problem> problems, PhaseGraph graph, List<Problem> completePhaseErrors) {
        int maxParallelism = waves.stream().mapToInt(List::size).max().orElse(0);
        List<Problem> warnings = problems.stream().filter(p -> !p.isError()).toList();
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        return new Analysis(roadmap, phases, waves, maxParallelism, criticalPath.keys(), warnings, errors,
                criticalPath.tokens(), graph, completePhaseErrors);
    }
}
