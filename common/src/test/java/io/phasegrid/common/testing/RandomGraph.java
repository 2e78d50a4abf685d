package io.phasegrid.common.testing;

import io.phasegrid.common.roadmap.Roadmap;
import java.util.ArrayList;
import java.util.List;

/**
 * A small random dependency graph for property tests: phases {@code 1..n} (keys {@code 01..}), declared
 * dependencies {@code dependent -> dependency}, one plan per phase carrying its token estimate.
 */
public record RandomGraph(int size, List<int[]> dependencies, long[] tokens, int slots, boolean[] complete) {

    public RandomGraph(int size, List<int[]> dependencies, long[] tokens, int slots) {
        this(size, dependencies, tokens, slots, new boolean[size]);
    }

    /** The same graph with the phases whose flag is set marked complete. */
    public RandomGraph withComplete(List<Boolean> flags) {
        boolean[] done = new boolean[size];
        for (int v = 0; v < size; v++) {
            done[v] = flags.get(v);
        }
        return new RandomGraph(size, dependencies, tokens, slots, done);
    }

    /** Keeps only pairs that respect {@code rank}, so the result is acyclic whatever the pairs. */
    public static RandomGraph acyclic(List<Integer> rank, List<int[]> pairs, List<Long> tokens, int slots) {
        List<int[]> dependencies = new ArrayList<>();
        for (int[] pair : pairs) {
            int a = pair[0];
            int b = pair[1];
            if (a == b) {
                continue;
            }
            // the phase of higher rank depends on the one of lower rank
            dependencies.add(rank.get(a) > rank.get(b) ? new int[] {a, b} : new int[] {b, a});
        }
        return new RandomGraph(rank.size(), dependencies, toArray(tokens), slots);
    }

    /** Arbitrary pairs (either direction) plus a cycle through the first {@code cycleLength} phases of {@code order}. */
    public static RandomGraph cyclic(List<Integer> order, int cycleLength, List<int[]> pairs) {
        List<int[]> dependencies = new ArrayList<>();
        for (int[] pair : pairs) {
            if (pair[0] != pair[1]) {
                dependencies.add(pair);
            }
        }
        for (int i = 0; i < cycleLength; i++) {
            dependencies.add(new int[] {order.get(i), order.get((i + 1) % cycleLength)});
        }
        long[] tokens = new long[order.size()];
        java.util.Arrays.fill(tokens, 1_000);
        return new RandomGraph(order.size(), dependencies, tokens, 1);
    }

    public boolean dependsOn(int dependent, int dependency) {
        return dependencies.stream().anyMatch(d -> d[0] == dependent && d[1] == dependency);
    }

    public Roadmap toRoadmap() {
        RoadmapBuilder builder = RoadmapBuilder.roadmap();
        for (int v = 0; v < size; v++) {
            RoadmapBuilder.PhaseSpec phase = builder.phase(Integer.toString(v + 1));
            for (int[] dependency : dependencies) {
                if (dependency[0] == v) {
                    phase.dependsOn(RoadmapBuilder.key(dependency[1]));
                }
            }
            phase.plan(1).tokens(tokens[v]);
            if (complete[v]) {
                phase.complete();
            }
        }
        return builder.build();
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RandomGraph[n=" + size + ", slots=" + slots + ", deps=");
        for (int[] d : dependencies) {
            sb.append(RoadmapBuilder.key(d[0])).append("->").append(RoadmapBuilder.key(d[1])).append(' ');
        }
        return sb.append("tokens=").append(java.util.Arrays.toString(tokens)).append(']').toString();
    }
}
