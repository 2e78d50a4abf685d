package io.phasegrid.common.graph;

import io.phasegrid.common.roadmap.SourceRef;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntUnaryOperator;

/**
 * A compact dependency graph over phases indexed {@code 0..n-1} in roadmap order.
 *
 * <p>An edge goes from a dependency to its dependent ({@code u -> v}: {@code u} must finish before {@code v}).
 * Adjacency is stored CSR-style in plain {@code int[]} arrays, both directions, each node's neighbours sorted by
 * index so every traversal is deterministic. Parallel edges are merged: the first one added wins, so declared edges
 * added before inferred ones keep their declared reason. Immutable; equal when keys and edges (with kind, reason and
 * source) are equal.
 */
public final class PhaseGraph {

    private final String[] keys;
    private final Map<String, Integer> indexByKey;
    private final int[] successorStart;
    private final int[] successors;
    private final int[] successorEdge;
    private final int[] predecessorStart;
    private final int[] predecessors;
    private final int[] predecessorEdge;
    private final int[] edgeFrom;
    private final int[] edgeTo;
    private final EdgeKind[] edgeKind;
    private final String[] edgeReason;
    private final SourceRef[] edgeSource;

    private PhaseGraph(String[] keys, Map<String, Integer> indexByKey, int[] from, int[] to, EdgeKind[] kind,
            String[] reason, SourceRef[] source) {
        this.keys = keys;
        int n = keys.length;
        this.indexByKey = indexByKey;
        this.edgeFrom = from;
        this.edgeTo = to;
        this.edgeKind = kind;
        this.edgeReason = reason;
        this.edgeSource = source;
        int m = from.length;

        successorStart = new int[n + 1];
        predecessorStart = new int[n + 1];
        for (int e = 0; e < m; e++) {
            successorStart[from[e] + 1]++;
            predecessorStart[to[e] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            successorStart[i + 1] += successorStart[i];
            predecessorStart[i + 1] += predecessorStart[i];
        }
        successors = new int[m];
        successorEdge = new int[m];
        predecessors = new int[m];
        predecessorEdge = new int[m];
        // edges arrive sorted by (from, to): filling in edge order keeps both directions sorted by neighbour index
        int[] nextSucc = Arrays.copyOf(successorStart, n);
        int[] nextPred = Arrays.copyOf(predecessorStart, n);
        for (int e = 0; e < m; e++) {
            int s = nextSucc[from[e]]++;
            successors[s] = to[e];
            successorEdge[s] = e;
            int p = nextPred[to[e]]++;
            predecessors[p] = from[e];
            predecessorEdge[p] = e;
        }
    }

    public static Builder builder(List<String> keys) {
        return new Builder(keys.toArray(String[]::new));
    }

    public int size() {
        return keys.length;
    }

    public int edgeCount() {
        return edgeFrom.length;
    }

    public String key(int node) {
        return keys[node];
    }

    public OptionalInt indexOf(String key) {
        Integer index = indexByKey.get(key);
        return index == null ? OptionalInt.empty() : OptionalInt.of(index);
    }

    /** Phases that depend on {@code node}: {@code successors()[successorStart(node) .. successorEnd(node))}. */
    public int successorStart(int node) {
        return successorStart[node];
    }

    public int successorEnd(int node) {
        return successorStart[node + 1];
    }

    public int successor(int slot) {
        return successors[slot];
    }

    public int successorEdge(int slot) {
        return successorEdge[slot];
    }

    /** Phases {@code node} depends on, by slot, like the successors. */
    public int predecessorStart(int node) {
        return predecessorStart[node];
    }

    public int predecessorEnd(int node) {
        return predecessorStart[node + 1];
    }

    public int predecessor(int slot) {
        return predecessors[slot];
    }

    public int predecessorEdge(int slot) {
        return predecessorEdge[slot];
    }

    public int edgeFrom(int edge) {
        return edgeFrom[edge];
    }

    public int edgeTo(int edge) {
        return edgeTo[edge];
    }

    public EdgeKind edgeKind(int edge) {
        return edgeKind[edge];
    }

    /** Why the edge exists; for a declared edge {@code declared at <file:line>}. */
    public String edgeReason(int edge) {
        String reason = edgeReason[edge];
        return reason != null ? reason : "declared at " + edgeSource[edge];
    }

    public SourceRef edgeSource(int edge) {
        return edgeSource[edge];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhaseGraph g && Arrays.equals(keys, g.keys) && Arrays.equals(edgeFrom, g.edgeFrom)
                && Arrays.equals(edgeTo, g.edgeTo) && Arrays.equals(edgeKind, g.edgeKind)
                && Arrays.equals(edgeReason, g.edgeReason) && Arrays.equals(edgeSource, g.edgeSource);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(keys) + Arrays.hashCode(edgeTo);
    }

    @Override
    public String toString() {
        return "PhaseGraph[" + keys.length + " phases, " + edgeFrom.length + " edges]";
    }

    /** Collects edges; {@link #build()} sorts and merges them. */
    public static final class Builder {
        private final String[] keys;
        private final Map<String, Integer> indexByKey;
        private int count;
        private int[] from = new int[16];
        private int[] to = new int[16];
        private EdgeKind[] kind = new EdgeKind[16];
        private String[] reason = new String[16];
        private SourceRef[] source = new SourceRef[16];

        private Builder(String[] keys) {
            this.keys = keys;
            this.indexByKey = new HashMap<>(keys.length * 2);
            for (int i = 0; i < keys.length; i++) {
                indexByKey.putIfAbsent(keys[i], i);
            }
        }

        public OptionalInt indexOf(String key) {
            Integer index = indexByKey.get(key);
            return index == null ? OptionalInt.empty() : OptionalInt.of(index);
        }

        /**
         * Adds {@code dependency -> dependent}; self edges are ignored. A null {@code why} (meant for declared edges,
         * so large roadmaps do not build one string per edge) reads as {@code declared at <where>}.
         */
        public Builder addEdge(int dependency, int dependent, EdgeKind edgeKind, String why, SourceRef where) {
            if (dependency < 0 || dependency >= keys.length || dependent < 0 || dependent >= keys.length) {
                throw new IndexOutOfBoundsException("edge " + dependency + " -> " + dependent + " outside 0.."
                        + (keys.length - 1));
            }
            if (dependency == dependent) {
                return this;
            }
            if (count == from.length) {
                int capacity = count * 2;
                from = Arrays.copyOf(from, capacity);
                to = Arrays.copyOf(to, capacity);
                kind = Arrays.copyOf(kind, capacity);
                reason = Arrays.copyOf(reason, capacity);
                source = Arrays.copyOf(source, capacity);
            }
            from[count] = dependency;
            to[count] = dependent;
            kind[count] = edgeKind;
            reason[count] = why;
            source[count] = where;
            count++;
            return this;
        }

        public PhaseGraph build() {
            // order edges by (from, to, insertion) so duplicates are adjacent and the first added one is kept
            int[] ids = sortedEdgeIds();
            int kept = 0;
            int[] keptIds = new int[count];
            for (int i = 0; i < ids.length; i++) {
                int id = ids[i];
                if (i == 0 || from[id] != from[ids[i - 1]] || to[id] != to[ids[i - 1]]) {
                    keptIds[kept++] = id;
                }
            }
            int[] f = new int[kept];
            int[] t = new int[kept];
            EdgeKind[] k = new EdgeKind[kept];
            String[] r = new String[kept];
            SourceRef[] s = new SourceRef[kept];
            for (int i = 0; i < kept; i++) {
                int id = keptIds[i];
                f[i] = from[id];
                t[i] = to[id];
                k[i] = kind[id];
                r[i] = reason[id];
                s[i] = source[id];
            }
            return new PhaseGraph(keys.clone(), indexByKey, f, t, k, r, s);
        }

        /** Edge ids ordered by (from, to), then by insertion: two stable counting-sort passes, O(n + e). */
        private int[] sortedEdgeIds() {
            int n = keys.length;
            int[] byTo = countingSort(identity(count), id -> to[id], n);
            return countingSort(byTo, id -> from[id], n);
        }

        private static int[] identity(int size) {
            int[] ids = new int[size];
            for (int i = 0; i < size; i++) {
                ids[i] = i;
            }
            return ids;
        }

        private static int[] countingSort(int[] ids, IntUnaryOperator bucketOf, int buckets) {
            int[] start = new int[buckets + 1];
            for (int id : ids) {
                start[bucketOf.applyAsInt(id) + 1]++;
            }
            for (int b = 0; b < buckets; b++) {
                start[b + 1] += start[b];
            }
            int[] sorted = new int[ids.length];
            for (int id : ids) {
                sorted[start[bucketOf.applyAsInt(id)]++] = id;
            }
            return sorted;
        }
    }
}
