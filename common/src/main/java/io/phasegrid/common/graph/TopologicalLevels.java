package io.phasegrid.common.graph;

/**
 * Kahn levels over the part of a graph selected by {@code scheduled}: a scheduled phase's level is one more than
 * the highest level among its scheduled dependencies (1 when it has none). Edges touching an unscheduled phase are
 * ignored: that dependency counts as satisfied.
 *
 * @param level 1-based level per node, 0 for unscheduled nodes and for nodes on or behind a cycle
 * @param order scheduled nodes in a topological order (by level, then index); shorter than the scheduled count
 *     when there is a cycle
 * @param levelCount number of levels
 * @param scheduledCount how many nodes were scheduled
 */
public record TopologicalLevels(int[] level, int[] order, int levelCount, int scheduledCount) {

    public boolean hasCycle() {
        return order.length < scheduledCount;
    }

    public static TopologicalLevels compute(PhaseGraph graph, boolean[] scheduled) {
        int n = graph.size();
        int[] pending = new int[n];
        int scheduledCount = 0;
        for (int v = 0; v < n; v++) {
            if (!scheduled[v]) {
                continue;
            }
            scheduledCount++;
            for (int s = graph.predecessorStart(v); s < graph.predecessorEnd(v); s++) {
                if (scheduled[graph.predecessor(s)]) {
                    pending[v]++;
                }
            }
        }
        int[] level = new int[n];
        int[] queue = new int[scheduledCount];
        int tail = 0;
        for (int v = 0; v < n; v++) {
            if (scheduled[v] && pending[v] == 0) {
                queue[tail++] = v;
                level[v] = 1;
            }
        }
        // levels are processed one at a time and each level is sorted by index before its successors are released
        int head = 0;
        int levels = 0;
        while (head < tail) {
            int levelEnd = tail;
            java.util.Arrays.sort(queue, head, levelEnd);
            levels++;
            for (; head < levelEnd; head++) {
                int v = queue[head];
                for (int s = graph.successorStart(v); s < graph.successorEnd(v); s++) {
                    int w = graph.successor(s);
                    if (scheduled[w] && --pending[w] == 0) {
                        level[w] = levels + 1;
                        queue[tail++] = w;
                    }
                }
            }
        }
        int[] order = java.util.Arrays.copyOf(queue, tail);
        if (order.length < scheduledCount) {
            for (int v = 0; v < n; v++) {
                if (scheduled[v] && pending[v] > 0) {
                    level[v] = 0;
                }
            }
        }
        return new TopologicalLevels(level, order, levels, scheduledCount);
    }

    /** Which nodes could not be ordered (on a cycle or depending on one). */
    public boolean[] unordered(boolean[] scheduled) {
        boolean[] result = new boolean[level.length];
        for (int v = 0; v < level.length; v++) {
            result[v] = scheduled[v] && level[v] == 0;
        }
        return result;
    }
}
