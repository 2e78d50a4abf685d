package io.phasegrid.common.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds dependency cycles among the phases Kahn's algorithm could not order, without recursion.
 *
 * <p>Every phase left over by Kahn still has an unprocessed dependency that is itself left over, so walking from a
 * left-over phase to its first left-over dependency must eventually revisit a phase: the revisited stretch is a
 * cycle. Walks share a visited mark, so each phase is walked at most once and disjoint cycles are each reported
 * once, in O(n + e).
 */
public final class CycleFinder {

    private CycleFinder() {
    }

    /** Up to {@code limit} disjoint cycles among the {@code unordered} phases. */
    public static List<Cycle> find(PhaseGraph graph, boolean[] unordered, int limit) {
        int n = graph.size();
        int[] walkOf = new int[n];
        Arrays.fill(walkOf, -1);
        int[] positionInWalk = new int[n];
        int[] path = new int[n];
        int[] pathEdge = new int[n];
        List<Cycle> cycles = new ArrayList<>();
        for (int start = 0; start < n && cycles.size() < limit; start++) {
            if (!unordered[start] || walkOf[start] >= 0) {
                continue;
            }
            int length = 0;
            int v = start;
            while (walkOf[v] < 0) {
                walkOf[v] = start;
                positionInWalk[v] = length;
                path[length] = v;
                pathEdge[length] = firstUnorderedDependencyEdge(graph, unordered, v);
                length++;
                v = graph.edgeFrom(pathEdge[length - 1]);
            }
            if (walkOf[v] == start) {
                cycles.add(rotateToEarliest(Arrays.copyOfRange(path, positionInWalk[v], length),
                        Arrays.copyOfRange(pathEdge, positionInWalk[v], length)));
            }
        }
        return cycles;
    }

    private static int firstUnorderedDependencyEdge(PhaseGraph graph, boolean[] unordered, int v) {
        for (int s = graph.predecessorStart(v); s < graph.predecessorEnd(v); s++) {
            if (unordered[graph.predecessor(s)]) {
                return graph.predecessorEdge(s);
            }
        }
        throw new IllegalStateException("phase " + graph.key(v) + " was left over by Kahn's algorithm but has no "
                + "left-over dependency");
    }

    private static Cycle rotateToEarliest(int[] nodes, int[] edges) {
        int best = 0;
        for (int i = 1; i < nodes.length; i++) {
            if (nodes[i] < nodes[best]) {
                best = i;
            }
        }
        int[] rotatedNodes = new int[nodes.length];
        int[] rotatedEdges = new int[edges.length];
        for (int i = 0; i < nodes.length; i++) {
            rotatedNodes[i] = nodes[(best + i) % nodes.length];
            rotatedEdges[i] = edges[(best + i) % edges.length];
        }
        return new Cycle(rotatedNodes, rotatedEdges);
    }
}
