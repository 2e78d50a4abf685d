package io.phasegrid.coordinator.run;

import io.phasegrid.common.analysis.Analysis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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

    RunSettings settings;
    /** Null for a plain run; for a git run the last phase is the integration step ({@link GitRun#INTEGRATION_KEY}). */
    GitRun git;
    String[] keys;
    String[] names;
    long[] estimates;
    int[] depStart;
    int[] deps;
    /** Per entry of {@code deps}: inferred rather than declared. */
    boolean[] depInferred;
    int[] dependentStart;
    int[] dependents;
    boolean[] skipped;
    long[] priority;
    int[] rank;
    int[] wave;
    int waveCount;
    int[] planStart;
    String[] planIds;
    String[] planPaths;
    transient Map<String, Integer> index;

    /** For {@link BlueprintCompiler}, {@link RunBlueprintCodec} and copies; others use {@link #compile}. */
    RunBlueprint() {
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
        return compile(analysis, settings, null);
    }

    /**
     * As {@link #compile(Analysis, RunSettings)}; a git run ({@code git} not null) gets one more phase, the
     * integration step: key {@link GitRun#INTEGRATION_KEY}, zero estimate, no plans, depending on every phase.
     */
    public static RunBlueprint compile(Analysis analysis, RunSettings settings, GitRun git) {
        return BlueprintCompiler.compile(AnalysisPhases.of(analysis, settings), settings, git);
    }

    /**
     * Compiles phases given as data (structured roadmaps): checked first against {@link StructuredPhases}' rules.
     *
     * @throws IllegalArgumentException naming the phase that breaks a rule, a duplicate key, an unknown dependency
     *     or a cycle
     */
    public static RunBlueprint of(List<PhaseDef> phases, RunSettings settings) {
        StructuredPhases.check(phases);
        return BlueprintCompiler.compile(phases, settings, null);
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
            return BlueprintCompiler.compile(phases, settings, null);
        }

        /** A git run of these phases, with its integration step. */
        public RunBlueprint buildGit(RunSettings settings, GitRun git) {
            return BlueprintCompiler.compile(phases, settings, Objects.requireNonNull(git, "git"));
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
        b.git = git;
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

    /** The git side of the run; null for a plain run. */
    public GitRun git() {
        return git;
    }

    /** The index of the integration step (the last phase) of a git run; -1 for a plain run. */
    public int integration() {
        return git == null ? -1 : keys.length - 1;
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

    /** The binary form ({@link RunBlueprintCodec}): the compiled arrays as they are. */
    public void writeTo(WireOutput out) throws IOException {
        RunBlueprintCodec.write(this, out);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static RunBlueprint readFrom(WireInput in) throws IOException {
        return RunBlueprintCodec.read(in);
    }
}
