package io.phasegrid.common.graph;

import java.util.PriorityQueue;

/**
 * The order shared-file pairs are oriented by: a topological order of a graph's components (Kahn's algorithm, the
 * earliest phase in roadmap order first among those ready), the phases of one component in roadmap order. When one
 * phase reaches another through the graph's edges it comes first; unrelated phases keep roadmap order as far as the
 * edges allow. Deterministic, O((n + e) log n).
 */
final class InferenceOrder {

    private InferenceOrder() {
    }

    /** The position of each phase in the order. */
    static int[] positions(PhaseGraph graph, StrongComponents components) {
        int n = graph.size();
        int[] component = components.component();
        int count = components.size().length;
        // members of each component in roadmap order (CSR), and the edges entering each component from outside
        int[] memberStart = new int[count + 1];
        for (int v = 0; v < n; v++) {
            memberStart[component[v] + 1]++;
        }
        for (int c = 0; c < count; c++) {
            memberStart[c + 1] += memberStart[c];
        }
        int[] members = new int[n];
        int[] fill = java.util.Arrays.copyOf(memberStart, count);
        for (int v = 0; v < n; v++) {
            members[fill[component[v]]++] = v;
        }
        int[] entering = new int[count];
        for (int e = 0; e < graph.edgeCount(); e++) {
            if (component[graph.edgeFrom(e)] != component[graph.edgeTo(e)]) {
                entering[component[graph.edgeTo(e)]]++;
            }
        }
        // a component is represented in the queue by its earliest phase
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int c = 0; c < count; c++) {
            if (entering[c] == 0) {
                ready.add(members[memberStart[c]]);
            }
        }
        int[] position = new int[n];
        int next = 0;
        while (!ready.isEmpty()) {
            int c = component[ready.poll()];
            for (int m = memberStart[c]; m < memberStart[c + 1]; m++) {
                position[members[m]] = next++;
            }
            for (int m = memberStart[c]; m < memberStart[c + 1]; m++) {
                int v = members[m];
                for (int s = graph.successorStart(v); s < graph.successorEnd(v); s++) {
                    int d = component[graph.successor(s)];
                    if (d != c && --entering[d] == 0) {
                        ready.add(members[memberStart[d]]);
                    }
                }
            }
        }
        return position;
    }
}
