package io.phasegrid.coordinator.run;

import io.phasegrid.common.graph.DispatchOrder;
import io.phasegrid.common.graph.EdgeKind;
import io.phasegrid.common.graph.PhaseGraph;
import io.phasegrid.common.settings.Schedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compiles a run's phases into a {@link RunBlueprint}'s arrays: keys, dependencies and dependents as CSR int arrays
 * (deduplicated, in the order written), waves, priorities and ranks from {@link DispatchOrder}, plans.
 */
final class BlueprintCompiler {

    private BlueprintCompiler() {
    }

    /**
     * The blueprint of {@code defs} under {@code settings}.
     *
     * @throws IllegalArgumentException for an empty run, a duplicate key, a negative estimate, an unknown or self
     *     dependency, or a cycle among the executing phases ({@link DispatchOrder})
     */
    static RunBlueprint compile(List<RunBlueprint.PhaseDef> roadmap, RunSettings settings, GitRun git) {
        RunBlueprint b = new RunBlueprint();
        b.settings = Objects.requireNonNull(settings, "settings");
        b.git = git;
        if (roadmap.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one phase");
        }
        List<RunBlueprint.PhaseDef> defs = git == null ? roadmap : withIntegration(roadmap);
        int n = defs.size();
        String[] keys = new String[n];
        String[] names = new String[n];
        long[] estimates = new long[n];
        boolean[] skipped = new boolean[n];
        Map<String, Integer> byKey = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            RunBlueprint.PhaseDef d = defs.get(i);
            if (byKey.putIfAbsent(d.key(), i) != null) {
                throw new IllegalArgumentException("duplicate phase key '" + d.key() + "'");
            }
            if (d.estimatedTokens() < 0) {
                throw new IllegalArgumentException("phase " + d.key() + ": negative estimate " + d.estimatedTokens());
            }
            keys[i] = d.key();
            names[i] = d.name();
            estimates[i] = d.estimatedTokens();
            skipped[i] = d.complete() && !settings.includeComplete();
        }
        b.index = byKey;

        // dependencies (CSR), deduplicated, in the order written
        int[] depStart = new int[n + 1];
        List<int[]> depLists = new ArrayList<>(n);
        int total = 0;
        for (int i = 0; i < n; i++) {
            RunBlueprint.PhaseDef d = defs.get(i);
            int[] list = new int[d.dependsOn().size()];
            int m = 0;
            Set<Integer> seen = new HashSet<>();
            for (String depKey : d.dependsOn()) {
                Integer j = byKey.get(depKey);
                if (j == null) {
                    throw new IllegalArgumentException(
                            "phase " + d.key() + " depends on '" + depKey + "', which is not a phase of the run");
                }
                if (j == i) {
                    throw new IllegalArgumentException("phase " + d.key() + " depends on itself");
                }
                if (seen.add(j)) {
                    list[m++] = j;
                }
            }
            depLists.add(Arrays.copyOf(list, m));
            total += m;
        }
        int[] deps = new int[total];
        for (int i = 0, p = 0; i < n; i++) {
            depStart[i] = p;
            int[] list = depLists.get(i);
            System.arraycopy(list, 0, deps, p, list.length);
            p += list.length;
        }
        depStart[n] = total;
        boolean[] depInferred = new boolean[total];
        for (int i = 0; i < n; i++) {
            for (int p = depStart[i]; p < depStart[i + 1]; p++) {
                depInferred[p] = defs.get(i).inferred().contains(keys[deps[p]]);
            }
        }

        // dependents (CSR), in roadmap order of the dependent
        int[] dependentStart = new int[n + 1];
        int[] outCount = new int[n];
        for (int j : deps) {
            outCount[j]++;
        }
        for (int i = 0; i < n; i++) {
            dependentStart[i + 1] = dependentStart[i] + outCount[i];
        }
        int[] dependents = new int[total];
        int[] fill = Arrays.copyOf(dependentStart, n);
        for (int i = 0; i < n; i++) {
            for (int p = depStart[i]; p < depStart[i + 1]; p++) {
                dependents[fill[deps[p]]++] = i;
            }
        }

        // waves, priorities and ranks: the dispatch order shared with `phasegrid simulate`
        boolean[] scheduled = new boolean[n];
        PhaseGraph.Builder graph = PhaseGraph.builder(Arrays.asList(keys));
        for (int i = 0; i < n; i++) {
            scheduled[i] = !skipped[i];
            for (int p = depStart[i]; p < depStart[i + 1]; p++) {
                graph.addEdge(deps[p], i, EdgeKind.DECLARED, null, null);
            }
        }
        DispatchOrder order = DispatchOrder.compute(graph.build(), scheduled, estimates,
                settings.schedule() == Schedule.WAVES);
        int[] wave = new int[n];
        long[] priority = new long[n];
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            wave[i] = skipped[i] ? 0 : order.wave(i) - 1; // 0-based over the run graph
            priority[i] = order.priority(i);
            rank[i] = order.rank(i);
        }
        int waveCount = Math.max(1, order.waveCount());

        // plans (CSR)
        int[] planStart = new int[n + 1];
        List<RunBlueprint.PlanRef> allPlans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            planStart[i] = allPlans.size();
            allPlans.addAll(defs.get(i).plans());
        }
        planStart[n] = allPlans.size();
        String[] planIds = allPlans.stream().map(RunBlueprint.PlanRef::id).toArray(String[]::new);
        String[] planPaths = allPlans.stream().map(RunBlueprint.PlanRef::path).toArray(String[]::new);

        b.keys = keys;
        b.names = names;
        b.estimates = estimates;
        b.skipped = skipped;
        b.depStart = depStart;
        b.deps = deps;
        b.depInferred = depInferred;
        b.dependentStart = dependentStart;
        b.dependents = dependents;
        b.wave = wave;
        b.priority = priority;
        b.rank = rank;
        b.waveCount = waveCount;
        b.planStart = planStart;
        b.planIds = planIds;
        b.planPaths = planPaths;
        return b;
    }

    /** The roadmap's phases, then the integration step depending on every one of them. */
    private static List<RunBlueprint.PhaseDef> withIntegration(List<RunBlueprint.PhaseDef> roadmap) {
        List<String> all = new ArrayList<>(roadmap.size());
        for (RunBlueprint.PhaseDef d : roadmap) {
            if (d.key().equals(GitRun.INTEGRATION_KEY)) {
                throw new IllegalArgumentException("phase key '" + GitRun.INTEGRATION_KEY
                        + "' is reserved for the integration step of a git run");
            }
            all.add(d.key());
        }
        List<RunBlueprint.PhaseDef> defs = new ArrayList<>(roadmap);
        defs.add(new RunBlueprint.PhaseDef(GitRun.INTEGRATION_KEY, "Integration", 0, all, false, List.of()));
        return defs;
    }
}
