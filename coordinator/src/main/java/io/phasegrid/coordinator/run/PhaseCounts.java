package io.phasegrid.coordinator.run;

/**
 * The run's counts kept in step with its phases' states: phases per state, unfinished phases per wave (and so the
 * lowest unfinished wave), phases in flight now and at most. Updated by {@link RunRecord}'s one {@code change()}.
 */
final class PhaseCounts {

    final int[] byState;
    final int[] waveUnfinished;
    int currentWave;
    int running;
    int maxParallelism;

    PhaseCounts(int waveCount) {
        this(new int[PhaseState.values().length], new int[waveCount], 0, 0, 0);
    }

    PhaseCounts(int[] byState, int[] waveUnfinished, int currentWave, int running, int maxParallelism) {
        this.byState = byState;
        this.waveUnfinished = waveUnfinished;
        this.currentWave = currentWave;
        this.running = running;
        this.maxParallelism = maxParallelism;
    }

    PhaseCounts copy() {
        return new PhaseCounts(byState.clone(), waveUnfinished.clone(), currentWave, running, maxParallelism);
    }

    int of(PhaseState s) {
        return byState[s.ordinal()];
    }

    /** A phase of {@code wave} starts in {@code s} (skipped phases belong to no wave's count). */
    void start(PhaseState s, int wave) {
        byState[s.ordinal()]++;
        if (s != PhaseState.SKIPPED) {
            waveUnfinished[wave]++;
        }
    }

    /** A phase of {@code wave} moved from {@code before} to {@code next}. */
    void moved(PhaseState before, PhaseState next, int wave) {
        byState[before.ordinal()]--;
        byState[next.ordinal()]++;
        if (before.isFinal() != next.isFinal()) {
            if (next.isFinal()) {
                waveUnfinished[wave]--;
                advanceWave();
            } else {
                waveUnfinished[wave]++;
                currentWave = Math.min(currentWave, wave);
            }
        }
        if (before.isInFlight() && !next.isInFlight()) {
            running--;
        } else if (!before.isInFlight() && next.isInFlight()) {
            running++;
            maxParallelism = Math.max(maxParallelism, running);
        }
    }

    void advanceWave() {
        while (currentWave < waveUnfinished.length && waveUnfinished[currentWave] == 0) {
            currentWave++;
        }
    }

    /** Some phase is PENDING, READY, LEASED or RUNNING: the run is not done. */
    boolean anyActive() {
        return of(PhaseState.PENDING) + of(PhaseState.READY) + of(PhaseState.LEASED) + of(PhaseState.RUNNING) > 0;
    }
}
