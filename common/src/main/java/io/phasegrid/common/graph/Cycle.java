package io.phasegrid.common.graph;

import io.phasegrid.common.roadmap.SourceRef;
import java.util.Arrays;

/**
 * A dependency cycle: {@code nodes[i]} depends on {@code nodes[i+1]} (and the last on the first) through
 * {@code edges[i]}. Starts at the cycle's earliest phase in roadmap order.
 */
public record Cycle(int[] nodes, int[] edges) {

    public int length() {
        return nodes.length;
    }

    /** Where the first dependency of the cycle was declared or inferred. */
    public SourceRef source(PhaseGraph graph) {
        return graph.edgeSource(edges[0]);
    }

    /**
     * {@code cycle: 03 -> 05 (.planning/ROADMAP.md:40) -> 03 (.planning/ROADMAP.md:61)}: each arrow reads "depends
     * on" and is followed by the line that declared it, or by the reason of an inferred dependency.
     */
    public String describe(PhaseGraph graph) {
        StringBuilder sb = new StringBuilder("cycle: ").append(graph.key(nodes[0]));
        for (int i = 0; i < nodes.length; i++) {
            int next = nodes[(i + 1) % nodes.length];
            int edge = edges[i];
            sb.append(" -> ").append(graph.key(next)).append(" (");
            if (graph.edgeKind(edge) == EdgeKind.DECLARED) {
                sb.append(graph.edgeSource(edge));
            } else {
                sb.append("inferred: ").append(graph.edgeReason(edge));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cycle other && Arrays.equals(nodes, other.nodes) && Arrays.equals(edges, other.edges);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(nodes) + Arrays.hashCode(edges);
    }

    @Override
    public String toString() {
        return "Cycle" + Arrays.toString(nodes);
    }
}
