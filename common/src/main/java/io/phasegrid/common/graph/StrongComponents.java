package io.phasegrid.common.graph;

import java.util.Arrays;

/**
 * Strongly connected components of a graph (iterative Tarjan, O(n + e), no recursion), over the phases selected by
 * a mask; edges touching an unselected phase are ignored. Two phases share a component exactly when each reaches
 * the other, so an edge between them would close a cycle.
 *
 * @param component the component of each phase, -1 for unselected phases
 * @param size the number of phases of each component
 */
record StrongComponents(int[] component, int[] size) {

    static StrongComponents of(PhaseGraph graph, boolean[] selected) {
        int n = graph.size();
        int[] index = new int[n];
        Arrays.fill(index, -1);
        int[] low = new int[n];
        int[] component = new int[n];
        Arrays.fill(component, -1);
        boolean[] onStack = new boolean[n];
        int[] stack = new int[n];
        int stackSize = 0;
        int[] callNode = new int[n];
        int[] callSlot = new int[n];
        int[] sizes = new int[n];
        int counter = 0;
        int components = 0;
        for (int root = 0; root < n; root++) {
            if (!selected[root] || index[root] >= 0) {
                continue;
            }
            int depth = 0;
            callNode[0] = root;
            callSlot[0] = graph.successorStart(root);
            index[root] = low[root] = counter++;
            stack[stackSize++] = root;
            onStack[root] = true;
            while (depth >= 0) {
                int v = callNode[depth];
                if (callSlot[depth] < graph.successorEnd(v)) {
                    int w = graph.successor(callSlot[depth]++);
                    if (!selected[w]) {
                        continue;
                    }
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack[stackSize++] = w;
                        onStack[w] = true;
                        depth++;
                        callNode[depth] = w;
                        callSlot[depth] = graph.successorStart(w);
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                if (low[v] == index[v]) {
                    int w;
                    do {
                        w = stack[--stackSize];
                        onStack[w] = false;
                        component[w] = components;
                        sizes[components]++;
                    } while (w != v);
                    components++;
                }
                depth--;
                if (depth >= 0) {
                    int parent = callNode[depth];
                    low[parent] = Math.min(low[parent], low[v]);
                }
            }
        }
        return new StrongComponents(component, Arrays.copyOf(sizes, components));
    }

    /** Whether both phases are selected and on a common cycle. */
    boolean onACommonCycle(int a, int b) {
        return component[a] >= 0 && component[a] == component[b] && size[component[a]] > 1;
    }

    /** Whether the phase is on a cycle. */
    boolean onACycle(int v) {
        return component[v] >= 0 && size[component[v]] > 1;
    }
}
