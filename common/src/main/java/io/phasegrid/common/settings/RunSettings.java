package io.phasegrid.common.settings;

import java.util.List;

/**
 * The settings that shape a run, each with where it came from.
 *
 * @param maxParallel phases of one run executing at once
 * @param minTokensPerPhase tokens that must remain per running phase before another one starts
 * @param fallbackToSequential run one phase at a time when the budget cannot carry the parallel group
 * @param schedule eager (dependency-driven) or waves
 */
public record RunSettings(
        Setting<Integer> maxParallel,
        Setting<Long> minTokensPerPhase,
        Setting<Boolean> fallbackToSequential,
        Setting<Schedule> schedule) {

    public static final int DEFAULT_MAX_PARALLEL = 3;
    public static final long DEFAULT_MIN_TOKENS_PER_PHASE = 10_000;

    public List<Setting<?>> all() {
        return List.of(maxParallel, minTokensPerPhase, fallbackToSequential, schedule);
    }
}
