package io.phasegrid.worker.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter, used between reconnection attempts. Immutable.
 *
 * @param initial the delay after the first failure (&gt; 0)
 * @param multiplier growth per further failure (&ge; 1)
 * @param max the cap of the delay before jitter (&ge; initial)
 * @param jitter the delay is spread uniformly over {@code delay × (1 ± jitter)}, then capped at {@code max}
 *     (0 &le; jitter &lt; 1)
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {

    /** 200 ms, ×2, capped at 10 s, ±20 % jitter. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), 0.2);

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive: " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be >= 1: " + multiplier);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff cap " + max + " is below the initial delay " + initial);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
    }

    /** The delay before the next attempt after {@code failures} (&ge; 1) consecutive failures, in milliseconds. */
    public long delayMillis(int failures, RandomGenerator random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures start at 1: " + failures);
        }
        double base = initial.toMillis() * Math.pow(multiplier, Math.min(failures - 1, 64));
        double capped = Math.min(base, max.toMillis());
        double spread = jitter == 0 ? 1.0 : 1.0 + jitter * (2 * random.nextDouble() - 1);
        return Math.max(1, Math.min(max.toMillis(), Math.round(capped * spread)));
    }
}
