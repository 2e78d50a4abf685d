package io.phasegrid.common.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decides which proposed (inferred) dependencies may join the declared graph: one by one, in the order given, each
 * is accepted unless its dependency already depends, through declared or already accepted edges, on its dependent,
 * that is unless it would close a cycle. Only proposals between phases of one strongly connected component of the
 * declared graph plus every proposal can close a cycle, so only those are searched, and each search stays inside its
 * component: linear in the graph when nothing conflicts, as on almost every roadmap.
 */
final class CycleGuard {

    /**
     * @param accepted per proposal, whether it joins the graph
     * @param cycles per dropped proposal, the path {@code dependency -> ... -> dependent} ("depends on" arrows) it
     *     would have closed; null for accepted ones
     */
    record Result(boolean[] accepted, int[][] cycles) {
    }

    private CycleGuard() {
    }

    /** @param proposals {@code {dependency, dependent}} pairs, none a duplicate of a declared edge or a self edge */
    static Result check(PhaseGraph declared, List<int[]> proposals) {
        int n = declared.size();
        int m = proposals.size();
        boolean[] accepted = new boolean[m];
        int[][] cycles = new int[m][];
        List<String> keys = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            keys.add(declared.key(v));
        }
        PhaseGraph.Builder all = PhaseGraph.builder(keys);
        for (int e = 0; e < declared.edgeCount(); e++) {
            all.addEdge(declared.edgeFrom(e), declared.edgeTo(e), EdgeKind.DECLARED, "", null);
        }
        for (int[] p : proposals) {
            all.addEdge(p[0], p[1], EdgeKind.SHARED_FILE, "", null);
        }
        boolean[] everyPhase = new boolean[n];
        Arrays.fill(everyPhase, true);
        StrongComponents components = StrongComponents.of(all.build(), everyPhase);
        int[] component = components.component();

        List<List<Integer>> acceptedFrom = null;
        int[] visitedIn = new int[n];
        int[] parent = new int[n];
        int[] queue = new int[n];
        int search = 0;
        for (int i = 0; i < m; i++) {
            int u = proposals.get(i)[0];
            int v = proposals.get(i)[1];
            if (!components.onACommonCycle(u, v)) {
                accepted[i] = true;
                continue;
            }
            if (acceptedFrom == null) {
                acceptedFrom = new ArrayList<>(n);
                for (int x = 0; x < n; x++) {
                    acceptedFrom.add(null);
                }
            }
            // breadth-first from v along "is needed by" edges inside the component: reaching u closes a cycle
            search++;
            int head = 0;
            int tail = 0;
            queue[tail++] = v;
            visitedIn[v] = search;
            boolean closes = false;
            while (head < tail && !closes) {
                int x = queue[head++];
                int extra = acceptedFrom.get(x) == null ? 0 : acceptedFrom.get(x).size();
                int declaredCount = declared.successorEnd(x) - declared.successorStart(x);
                for (int k = 0; k < declaredCount + extra; k++) {
                    int w = k < declaredCount ? declared.successor(declared.successorStart(x) + k)
                            : acceptedFrom.get(x).get(k - declaredCount);
                    if (component[w] != component[v] || visitedIn[w] == search) {
                        continue;
                    }
                    visitedIn[w] = search;
                    parent[w] = x;
                    if (w == u) {
                        closes = true;
                        break;
                    }
                    queue[tail++] = w;
                }
            }
            if (closes) {
                List<Integer> path = new ArrayList<>();
                for (int x = u; x != v; x = parent[x]) {
                    path.add(x);
                }
                path.add(v);
                cycles[i] = path.stream().mapToInt(Integer::intValue).toArray();
            } else {
                accepted[i] = true;
                if (acceptedFrom.get(u) == null) {
                    acceptedFrom.set(u, new ArrayList<>(2));
                }
                acceptedFrom.get(u).add(v);
            }
        }
        return new Result(accepted, cycles);
    }
}
