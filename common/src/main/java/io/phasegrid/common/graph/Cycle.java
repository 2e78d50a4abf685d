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

    /** Cycles longer than this are printed with their middle elided. */
    static final int MAX_PRINTED_STEPS = 64;

    /**
     * {@code cycle: 03 -> 05 (.planning/ROADMAP.md:40) -> 03 (.planning/ROADMAP.md:61)}: each arrow reads "depends
     * on" and is followed by the line that declared it, or by the reason of an inferred dependency. A cycle of more
     * than {@value #MAX_PRINTED_STEPS} dependencies prints the first and last half of that many, with
     * {@code ... N more dependencies ...} in between.
     */
    public String describe(PhaseGraph graph) {
        int length = nodes.length;
        int half = MAX_PRINTED_STEPS / 2;
        StringBuilder sb = new StringBuilder("cycle: ").append(graph.key(nodes[0]));
        for (int i = 0; i < length; i++) {
            if (length > MAX_PRINTED_STEPS && i == half) {
                int skipped = length - MAX_PRINTED_STEPS;
                sb.append(" ... ").append(skipped).append(skipped == 1 ? " more dependency ... " : " more dependencies ... ")
                        .append(graph.key(nodes[i + skipped]));
                i += skipped - 1;
                continue;
            }
            appendStep(sb, graph, i);
        }
        return sb.toString();
    }

    private void appendStep(StringBuilder sb, PhaseGraph graph, int step) {
        int next = nodes[(step + 1) % nodes.length];
        int edge = edges[step];
        sb.append(" -> ").append(graph.key(next)).append(" (");
        if (graph.edgeKind(edge) == EdgeKind.DECLARED) {
            sb.append(graph.edgeSource(edge));
        } else {
            sb.append("inferred: ").append(graph.edgeReason(edge));
        }
        sb.append(')');
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
