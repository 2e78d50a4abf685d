package io.phasegrid.common.graph;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.PhaseEstimates;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The longest dependency chain by estimated tokens (the sum of its phases' estimates); among chains with equal
 * tokens the one with more phases wins, then the one ending, and at each step continuing, at the phase earliest in
 * roadmap order.
 *
 * @param keys phase keys from the first phase to run to the last
 * @param tokens sum of the estimates of those phases
 */
public record CriticalPath(List<String> keys, long tokens) {

    public static final CriticalPath EMPTY = new CriticalPath(List.of(), 0);

    public CriticalPath {
        keys = List.copyOf(keys);
    }

    /** The critical path an analysis found, with its total tokens. */
    public static CriticalPath of(Analysis analysis) {
        return new CriticalPath(analysis.criticalPath(), analysis.criticalPathTokens());
    }

    /**
     * Computes the critical path over the scheduled phases of an acyclic graph.
     *
     * @param order the scheduled phases in topological order ({@link TopologicalLevels#order()})
     * @param estimates estimated tokens per phase index
     */
    public static CriticalPath compute(PhaseGraph graph, boolean[] scheduled, int[] order, long[] estimates) {
        if (order.length == 0) {
            return EMPTY;
        }
        int n = graph.size();
        long[] tokens = new long[n];
        int[] count = new int[n];
        int[] previous = new int[n];
        for (int v : order) {
            int best = -1;
            for (int s = graph.predecessorStart(v); s < graph.predecessorEnd(v); s++) {
                int u = graph.predecessor(s);
                if (scheduled[u] && (best < 0 || longer(tokens[u], count[u], tokens[best], count[best]))) {
                    best = u;
                }
            }
            previous[v] = best;
            tokens[v] = PhaseEstimates.add(estimates[v], best < 0 ? 0 : tokens[best]);
            count[v] = 1 + (best < 0 ? 0 : count[best]);
        }
        int end = -1;
        for (int v : order) {
            if (end < 0 || longer(tokens[v], count[v], tokens[end], count[end])
                    || (tokens[v] == tokens[end] && count[v] == count[end] && v < end)) {
                end = v;
            }
        }
        List<String> path = new ArrayList<>(count[end]);
        for (int v = end; v >= 0; v = previous[v]) {
            path.add(graph.key(v));
        }
        Collections.reverse(path);
        return new CriticalPath(path, tokens[end]);
    }

    private static boolean longer(long tokens, int count, long otherTokens, int otherCount) {
        return tokens > otherTokens || (tokens == otherTokens && count > otherCount);
    }
}
