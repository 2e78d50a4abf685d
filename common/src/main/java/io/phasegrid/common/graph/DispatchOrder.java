package io.phasegrid.common.graph;

import io.phasegrid.common.analysis.TokenMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The order in which ready phases are dispatched: the one the coordinator leases in and {@code simulate} predicts.
 * Over the phases selected by {@code scheduled} (edges touching an unselected phase count as satisfied):
 * <ul>
 *   <li>{@link #wave(int)}: the phase's Kahn level ({@link TopologicalLevels}), 1-based, 0 when not scheduled;</li>
 *   <li>{@link #priority(int)}: the longest remaining path by estimate from the phase to the end of the graph, the
 *       phase's own estimate included (critical path first);</li>
 *   <li>{@link #rank(int)}: the phase's position in the dispatch order: priority descending, ties by roadmap order
 *       (index); with {@code wavesFirst} (the {@code waves} schedule) the lower wave always comes first.</li>
 * </ul>
 * Deterministic: the same graph, selection and estimates give the same order on every member and every run.
 */
public final class DispatchOrder {

    private final int[] wave;
    private final int waveCount;
    private final long[] priority;
    private final int[] rank;

    private DispatchOrder(int[] wave, int waveCount, long[] priority, int[] rank) {
        this.wave = wave;
        this.waveCount = waveCount;
        this.priority = priority;
        this.rank = rank;
    }

    /**
     * @param estimates estimated tokens per phase (index of the graph)
     * @throws IllegalArgumentException when the scheduled phases have a cycle (naming up to 10 of its phases)
     */
    public static DispatchOrder compute(PhaseGraph graph, boolean[] scheduled, long[] estimates, boolean wavesFirst) {
        int n = graph.size();
        TopologicalLevels levels = TopologicalLevels.compute(graph, scheduled);
        if (levels.hasCycle()) {
            throw new IllegalArgumentException("dependency cycle among phases " + describe(graph,
                    levels.unordered(scheduled)));
        }
        int[] order = levels.order();
        long[] priority = new long[n];
        for (int t = order.length - 1; t >= 0; t--) {
            int v = order[t];
            long longestAfter = 0;
            for (int s = graph.successorStart(v); s < graph.successorEnd(v); s++) {
                int w = graph.successor(s);
                if (scheduled[w]) {
                    longestAfter = Math.max(longestAfter, priority[w]);
                }
            }
            priority[v] = TokenMath.add(estimates[v], longestAfter);
        }
        int[] wave = levels.level();
        Integer[] byRank = new Integer[n];
        for (int i = 0; i < n; i++) {
            byRank[i] = i;
        }
        Arrays.sort(byRank, (a, b) -> {
            if (wavesFirst && wave[a] != wave[b]) {
                return Integer.compare(wave[a], wave[b]);
            }
            if (priority[a] != priority[b]) {
                return Long.compare(priority[b], priority[a]);
            }
            return Integer.compare(a, b);
        });
        int[] rank = new int[n];
        for (int r = 0; r < n; r++) {
            rank[byRank[r]] = r;
        }
        return new DispatchOrder(wave, levels.levelCount(), priority, rank);
    }

    /** 1-based wave (Kahn level over the scheduled phases); 0 for a phase not scheduled. */
    public int wave(int phase) {
        return wave[phase];
    }

    /** Waves of the scheduled phases (0 when none is scheduled). */
    public int waveCount() {
        return waveCount;
    }

    /** Longest remaining path by estimate, the phase included; 0 for a phase not scheduled. */
    public long priority(int phase) {
        return priority[phase];
    }

    /** Position in the dispatch order, 0 first; a permutation of 0..n-1 over all phases. */
    public int rank(int phase) {
        return rank[phase];
    }

    /** Whether {@code a} is dispatched before {@code b} when both are ready. */
    public boolean before(int a, int b) {
        return rank[a] < rank[b];
    }

    private static String describe(PhaseGraph graph, boolean[] stuck) {
        List<String> keys = new ArrayList<>();
        int count = 0;
        for (int v = 0; v < stuck.length; v++) {
            if (stuck[v]) {
                if (keys.size() < 10) {
                    keys.add(graph.key(v));
                }
                count++;
            }
        }
        return String.join(", ", keys) + (count > keys.size() ? ", ..." : "");
    }
}
