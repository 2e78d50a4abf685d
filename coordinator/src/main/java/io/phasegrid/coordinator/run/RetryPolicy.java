package io.phasegrid.coordinator.run;

/**
 * Retry policy for execution failures (worker-lost requeues are not counted here).
 *
 * @param maxAttempts executions in all, including the first (>= 1)
 * @param initialBackoffMs delay before the first retry
 * @param multiplier growth factor of the delay (>= 1)
 * @param maxBackoffMs cap of the delay
 */
public record RetryPolicy(int maxAttempts, long initialBackoffMs, double multiplier, long maxBackoffMs) implements java.io.Serializable {

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, 1_000, 2.0, 60_000);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (initialBackoffMs < 0 || maxBackoffMs < 0) {
            throw new IllegalArgumentException("backoff must be >= 0");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
        }
    }

    /**
     * Delay before the next attempt after {@code failures} execution failures (>= 1):
     * {@code min(max, initial * multiplier^(failures - 1))}. Uses {@link StrictMath} so every member computes the
     * same value (processors run again on the backup replica).
     */
    public long backoffMs(int failures) {
        double delay = initialBackoffMs * StrictMath.pow(multiplier, Math.max(0, failures - 1));
        return delay >= maxBackoffMs ? maxBackoffMs : (long) delay;
    }
}
