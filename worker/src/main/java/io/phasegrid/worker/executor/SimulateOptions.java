package io.phasegrid.worker.executor;

import java.util.Objects;
import java.util.Set;

/**
 * Options of the {@link SimulateExecutor}. Immutable; {@link #builder()} fills the defaults.
 *
 * @param timeScale milliseconds slept per 1,000 estimated tokens (0 = no sleep; finite, &ge; 0)
 * @param failPhaseKeys phase keys whose attempts fail
 * @param failAttempts fail only the first {@code failAttempts} attempts of those phases (0 = every attempt),
 *     so that a retry succeeds
 */
public record SimulateOptions(double timeScale, Set<String> failPhaseKeys, int failAttempts) {

    /** Default time scale: 10 ms per 1,000 estimated tokens (a 100,000-token phase takes one second). */
    public static final double DEFAULT_TIME_SCALE = 10.0;

    public SimulateOptions {
        if (!(timeScale >= 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("time scale must be a finite number >= 0: " + timeScale);
        }
        failPhaseKeys = Set.copyOf(Objects.requireNonNull(failPhaseKeys, "failPhaseKeys"));
        if (failAttempts < 0) {
            throw new IllegalArgumentException("fail attempts must not be negative: " + failAttempts);
        }
    }

    /** Default options: {@link #DEFAULT_TIME_SCALE}, nothing fails. */
    public static SimulateOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether this attempt of this phase is told to fail. */
    public boolean fails(String phaseKey, int attempt) {
        return failPhaseKeys.contains(phaseKey) && (failAttempts == 0 || attempt <= failAttempts);
    }

    /** Builder of {@link SimulateOptions}; starts from the defaults. */
    public static final class Builder {
        private double timeScale = DEFAULT_TIME_SCALE;
        private Set<String> failPhaseKeys = Set.of();
        private int failAttempts;

        private Builder() {
        }

        /** Milliseconds slept per 1,000 estimated tokens; 0 = no sleep. */
        public Builder timeScale(double timeScale) {
            this.timeScale = timeScale;
            return this;
        }

        /** Phase keys whose attempts fail (every attempt unless {@link #failAttempts(int)} limits it). */
        public Builder failPhaseKeys(Set<String> keys) {
            this.failPhaseKeys = keys;
            return this;
        }

        /** Fail only the first {@code attempts} attempts of the chosen phases; 0 = every attempt. */
        public Builder failAttempts(int attempts) {
            this.failAttempts = attempts;
            return this;
        }

        public SimulateOptions build() {
            return new SimulateOptions(timeScale, failPhaseKeys, failAttempts);
        }
    }
}
