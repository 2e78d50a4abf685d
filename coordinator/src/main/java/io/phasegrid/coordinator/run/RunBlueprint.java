package io.phasegrid.coordinator.run;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalyzedPhase;
import io.phasegrid.common.analysis.InferredDependency;
import io.phasegrid.common.graph.DispatchOrder;
import io.phasegrid.common.graph.EdgeKind;
import io.phasegrid.common.graph.PhaseGraph;
import io.phasegrid.common.roadmap.Plan;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.settings.Schedule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The immutable, compiled shape of a run: its phases in roadmap order with estimates, dependencies and dependents
 * (declared + inferred) as int arrays, skip flags, priorities, waves and plans, plus the run's settings. Shared by
 * reference between copies of a {@link RunRecord}.
 *
 * <p>The run graph is the subgraph of the phases that execute: a SKIPPED phase (complete in the roadmap and not
 * included) counts as a satisfied dependency and is not traversed, so its own dependencies never hold anything up.
 *
 * <p>Priority: the longest remaining path by estimate from the phase to the end of the run graph (the phase's
 * estimate included), critical path first, ties by roadmap order. {@link #rank(int)} is the phase's position in that
 * order; under {@link Schedule#WAVES} the order is wave first, then priority, so the lowest wave always comes out
 * first. Waves are recomputed over the run graph: 0 for a phase with no executing dependency, else one more than its
 * highest executing dependency (GSD's waves of the pending phases). All three come from {@link DispatchOrder}, the
 * same code {@code phasegrid simulate} predicts with; a cycle among the executing phases is refused there.
 */
public final class RunBlueprint {

    /** One plan of a phase: its id and the path of its PLAN file in the bundle (empty for a structured roadmap). */
    public record PlanRef(String id, String path) {
    }

    /**
     * A phase to compile.
     *
     * @param complete done according to the roadmap: SKIPPED unless the settings include complete phases
     * @param inferred the keys of {@code dependsOn} the analysis inferred (the others are declared)
     */
    public record PhaseDef(String key, String name, long estimatedTokens, List<String> dependsOn, boolean complete,
            List<PlanRef> plans, Set<String> inferred) {

        public PhaseDef {
            Objects.requireNonNull(key, "key");
            name = name == null ? "" : name;
            dependsOn = List.copyOf(dependsOn);
            plans = List.copyOf(plans);
            inferred = Set.copyOf(inferred);
        }

        /** A phase whose dependencies are all declared. */
        public PhaseDef(String key, String name, long estimatedTokens, List<String> dependsOn, boolean complete,
                List<PlanRef> plans) {
            this(key, name, estimatedTokens, dependsOn, complete, plans, Set.of());
        }
    }

    private RunSettings settings;
    private String[] keys;
    private String[] names;
    private long[] estimates;
    private int[] depStart;
    private int[] deps;
    /** Per entry of {@code deps}: inferred rather than declared. */
    private boolean[] depInferred;
    private int[] dependentStart;
    private int[] dependents;
    private boolean[] skipped;
    private long[] priority;
    private int[] rank;
    private int[] wave;
    private int waveCount;
    private int[] planStart;
    private String[] planIds;
    private String[] planPaths;
    private transient Map<String, Integer> index;

    /** For {@link #readFrom} and copies only; blueprints are made by {@link #compile} and {@link #of}. */
    private RunBlueprint() {
    }

    private RunBlueprint(List<PhaseDef> defs, RunSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        int n = defs.size();
        if (n == 0) {
            throw new IllegalArgumentException("a run needs at least one phase");
        }
        keys = new String[n];
        names = new String[n];
        estimates = new long[n];
        skipped = new boolean[n];
        Map<String, Integer> byKey = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            PhaseDef d = defs.get(i);
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
        this.index = byKey;

        // dependencies (CSR), deduplicated, in the order written
        depStart = new int[n + 1];
        List<int[]> depLists = new ArrayList<>(n);
        int total = 0;
        for (int i = 0; i < n; i++) {
            PhaseDef d = defs.get(i);
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
        deps = new int[total];
        for (int i = 0, p = 0; i < n; i++) {
            depStart[i] = p;
            int[] list = depLists.get(i);
            System.arraycopy(list, 0, deps, p, list.length);
            p += list.length;
        }
        depStart[n] = total;
        depInferred = new boolean[total];
        for (int i = 0; i < n; i++) {
            for (int p = depStart[i]; p < depStart[i + 1]; p++) {
                depInferred[p] = defs.get(i).inferred().contains(keys[deps[p]]);
            }
        }

        // dependents (CSR), in roadmap order of the dependent
        dependentStart = new int[n + 1];
        int[] outCount = new int[n];
        for (int j : deps) {
            outCount[j]++;
        }
        for (int i = 0; i < n; i++) {
            dependentStart[i + 1] = dependentStart[i] + outCount[i];
        }
        dependents = new int[total];
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
        wave = new int[n];
        priority = new long[n];
        rank = new int[n];
        for (int i = 0; i < n; i++) {
            wave[i] = skipped[i] ? 0 : order.wave(i) - 1; // 0-based over the run graph
            priority[i] = order.priority(i);
            rank[i] = order.rank(i);
        }
        waveCount = Math.max(1, order.waveCount());

        // plans (CSR)
        planStart = new int[n + 1];
        List<PlanRef> allPlans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            planStart[i] = allPlans.size();
            allPlans.addAll(defs.get(i).plans());
        }
        planStart[n] = allPlans.size();
        planIds = allPlans.stream().map(PlanRef::id).toArray(String[]::new);
        planPaths = allPlans.stream().map(PlanRef::path).toArray(String[]::new);
    }

    /**
     * Compiles an analysed roadmap. Backlog phases are left out unless listed in {@link RunSettings#includeBacklog()};
     * complete phases are SKIPPED unless {@link RunSettings#includeComplete()}. Dependencies are the declared and the
     * inferred ones. A cycle confined to complete phases does not stop a run that skips them (their dependencies on
     * one another are left out).
     *
     * @throws IllegalArgumentException when the analysis has errors that stop the run, a listed backlog key is not a
     *     backlog phase, or a phase of the run depends on a backlog phase that is left out
     */
    public static RunBlueprint compile(Analysis analysis, RunSettings settings) {
        List<Problem> refusing = analysis.errorsForRun(settings.includeComplete());
        if (!refusing.isEmpty()) {
            throw new IllegalArgumentException("the roadmap cannot run: " + refusing.get(0));
        }
        // a cycle confined to complete phases (tolerated above) must not reach the run graph: they are skipped
        Set<String> skippedCycles = new HashSet<>();
        if (!settings.includeComplete() && !analysis.completePhaseErrors().isEmpty()) {
            analysis.phases().stream().filter(p -> p.phase().isComplete()).forEach(p -> skippedCycles.add(p.key()));
        }
        Set<String> backlogWanted = new HashSet<>(settings.includeBacklog());
        Set<String> excluded = new HashSet<>();
        for (AnalyzedPhase p : analysis.phases()) {
            if (p.phase().isBacklog() && !backlogWanted.remove(p.key())) {
                excluded.add(p.key());
            }
        }
        if (!backlogWanted.isEmpty()) {
            throw new IllegalArgumentException("include_backlog names phases that are not backlog phases of the "
                    + "roadmap: " + String.join(", ", new java.util.TreeSet<>(backlogWanted)));
        }
        List<PhaseDef> defs = new ArrayList<>();
        for (AnalyzedPhase p : analysis.phases()) {
            if (excluded.contains(p.key())) {
                continue;
            }
            Set<String> depKeys = new LinkedHashSet<>(p.dependsOn());
            for (InferredDependency inferred : p.inferred()) {
                depKeys.add(inferred.key());
            }
            for (String dep : depKeys) {
                if (excluded.contains(dep) && !(p.phase().isComplete() && !settings.includeComplete())) {
                    throw new IllegalArgumentException("phase " + p.key() + " depends on backlog phase " + dep
                            + ", which the run leaves out (add it to include_backlog)");
                }
            }
            depKeys.removeAll(excluded);
            if (skippedCycles.contains(p.key())) {
                depKeys.removeAll(skippedCycles);
            }
            List<PlanRef> plans = new ArrayList<>();
            for (Plan plan : p.phase().plans()) {
                plans.add(new PlanRef(plan.id(), plan.source().file()));
            }
            Set<String> inferred = new HashSet<>(depKeys);
            inferred.removeAll(p.dependsOn());
            defs.add(new PhaseDef(p.key(), p.phase().name(), p.estimatedTokens(), List.copyOf(depKeys),
                    p.phase().isComplete(), plans, inferred));
        }
        return new RunBlueprint(defs, settings);
    }

    /**
     * Compiles phases given as data (structured roadmaps): checked first against {@link StructuredPhases}' rules.
     *
     * @throws IllegalArgumentException naming the phase that breaks a rule, a duplicate key, an unknown dependency
     *     or a cycle
     */
    public static RunBlueprint of(List<PhaseDef> phases, RunSettings settings) {
        StructuredPhases.check(phases);
        return new RunBlueprint(phases, settings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a blueprint phase by phase, in roadmap order. */
    public static final class Builder {
        private final List<PhaseDef> phases = new ArrayList<>();

        private Builder() {
        }

        /** A pending phase named after its key with no plans. */
        public Builder phase(String key, long estimatedTokens, String... dependsOn) {
            return phase(key, "Phase " + key, estimatedTokens, dependsOn);
        }

        public Builder phase(String key, String name, long estimatedTokens, String... dependsOn) {
            phases.add(new PhaseDef(key, name, estimatedTokens, List.of(dependsOn), false, List.of()));
            return this;
        }

        /** A phase the roadmap marks complete. */
        public Builder completePhase(String key, long estimatedTokens, String... dependsOn) {
            phases.add(new PhaseDef(key, "Phase " + key, estimatedTokens, List.of(dependsOn), true, List.of()));
            return this;
        }

        public Builder phase(PhaseDef def) {
            phases.add(def);
            return this;
        }

        public RunBlueprint build(RunSettings settings) {
            return new RunBlueprint(phases, settings);
        }

        public RunBlueprint build() {
            return build(RunSettings.defaults());
        }
    }

    public RunSettings settings() {
        return settings;
    }

    /** This blueprint with another run budget (the compiled arrays do not depend on it and are shared). */
    public RunBlueprint withBudget(long budgetTokens) {
        RunBlueprint b = new RunBlueprint();
        b.settings = settings.toBuilder().budgetTokens(budgetTokens).build();
        b.keys = keys;
        b.names = names;
        b.estimates = estimates;
        b.depStart = depStart;
        b.deps = deps;
        b.depInferred = depInferred;
        b.dependentStart = dependentStart;
        b.dependents = dependents;
        b.skipped = skipped;
        b.priority = priority;
        b.rank = rank;
        b.wave = wave;
        b.waveCount = waveCount;
        b.planStart = planStart;
        b.planIds = planIds;
        b.planPaths = planPaths;
        b.index = index;
        return b;
    }

    public int size() {
        return keys.length;
    }

    /** Index of the phase with this key, or -1. */
    public int indexOf(String key) {
        Map<String, Integer> map = index;
        if (map == null) {
            map = new HashMap<>(keys.length * 2);
            for (int i = 0; i < keys.length; i++) {
                map.put(keys[i], i);
            }
            index = map;
        }
        Integer i = map.get(key);
        return i == null ? -1 : i;
    }

    public String key(int phase) {
        return keys[phase];
    }

    public String name(int phase) {
        return names[phase];
    }

    public long estimatedTokens(int phase) {
        return estimates[phase];
    }

    /** True when the phase is SKIPPED for the whole run. */
    public boolean skipped(int phase) {
        return skipped[phase];
    }

    /** Longest remaining path by estimate, the phase included (0 for a skipped phase). */
    public long priority(int phase) {
        return priority[phase];
    }

    /** Position of the phase in dispatch order: 0 goes first. A permutation of {@code 0..size()-1}. */
    public int rank(int phase) {
        return rank[phase];
    }

    /** 0-based wave over the run graph (0 for a skipped phase). */
    public int wave(int phase) {
        return wave[phase];
    }

    public int waveCount() {
        return waveCount;
    }

    public int dependencyCount(int phase) {
        return depStart[phase + 1] - depStart[phase];
    }

    /** The {@code k}-th dependency of the phase (declared order, deduplicated). */
    public int dependency(int phase, int k) {
        return deps[depStart[phase] + k];
    }

    public int dependentCount(int phase) {
        return dependentStart[phase + 1] - dependentStart[phase];
    }

    public int dependent(int phase, int k) {
        return dependents[dependentStart[phase] + k];
    }

    /** Keys of the phase's dependencies, declared and inferred, skipped ones included. */
    public List<String> dependsOn(int phase) {
        List<String> out = new ArrayList<>(dependencyCount(phase));
        for (int p = depStart[phase]; p < depStart[phase + 1]; p++) {
            out.add(keys[deps[p]]);
        }
        return Collections.unmodifiableList(out);
    }

    /** The keys of {@link #dependsOn} that the analysis inferred (the others are declared). */
    public List<String> inferredDependsOn(int phase) {
        List<String> out = new ArrayList<>();
        for (int p = depStart[phase]; p < depStart[phase + 1]; p++) {
            if (depInferred[p]) {
                out.add(keys[deps[p]]);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The phase's plans in execution order; empty when the phase is one unit of work. */
    public List<PlanRef> plans(int phase) {
        List<PlanRef> out = new ArrayList<>(planStart[phase + 1] - planStart[phase]);
        for (int p = planStart[phase]; p < planStart[phase + 1]; p++) {
            out.add(new PlanRef(planIds[p], planPaths[p]));
        }
        return Collections.unmodifiableList(out);
    }

    // ------------------------------------------------------------------------------------------------ serialization

    /** The binary form: the compiled arrays as they are; the key index is rebuilt lazily after a read. */
    public void writeTo(WireOutput out) throws IOException {
        settings.writeTo(out);
        out.writeStringArray(keys);
        out.writeStringArray(names);
        out.writeLongArray(estimates);
        out.writeIntArray(depStart);
        out.writeIntArray(deps);
        out.writeBooleanArray(depInferred);
        out.writeIntArray(dependentStart);
        out.writeIntArray(dependents);
        out.writeBooleanArray(skipped);
        out.writeLongArray(priority);
        out.writeIntArray(rank);
        out.writeIntArray(wave);
        out.writeInt(waveCount);
        out.writeIntArray(planStart);
        out.writeStringArray(planIds);
        out.writeStringArray(planPaths);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static RunBlueprint readFrom(WireInput in) throws IOException {
        RunBlueprint b = new RunBlueprint();
        b.settings = RunSettings.readFrom(in);
        b.keys = in.readStringArray();
        b.names = in.readStringArray();
        b.estimates = in.readLongArray();
        b.depStart = in.readIntArray();
        b.deps = in.readIntArray();
        b.depInferred = in.readBooleanArray();
        b.dependentStart = in.readIntArray();
        b.dependents = in.readIntArray();
        b.skipped = in.readBooleanArray();
        b.priority = in.readLongArray();
        b.rank = in.readIntArray();
        b.wave = in.readIntArray();
        b.waveCount = in.readInt();
        b.planStart = in.readIntArray();
        b.planIds = in.readStringArray();
        b.planPaths = in.readStringArray();
        return b;
    }
}
