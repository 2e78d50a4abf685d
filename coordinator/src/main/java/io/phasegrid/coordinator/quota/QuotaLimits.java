package io.phasegrid.coordinator.quota;

/**
 * What one principal may hold at once: runs in flight (submitted, not finished) and the retained submission bytes of
 * those runs (the PLAN contents the cluster keeps for them, as the cluster-wide cap counts them). A submission over
 * either is refused with RESOURCE_EXHAUSTED; a run that finishes frees its share.
 */
public record QuotaLimits(int maxRunsInFlight, long maxRetainedBytes) {

    public static final int DEFAULT_MAX_RUNS_IN_FLIGHT = 100;
    /** No quota at all (a released run's processor, tests). */
    public static final QuotaLimits NONE = new QuotaLimits(Integer.MAX_VALUE, Long.MAX_VALUE);

    public QuotaLimits {
        if (maxRunsInFlight < 1) {
            throw new IllegalArgumentException("runs in flight per principal must be >= 1, was " + maxRunsInFlight);
        }
        if (maxRetainedBytes < 1) {
            throw new IllegalArgumentException("retained bytes per principal must be >= 1, was " + maxRetainedBytes);
        }
    }

    /**
     * {@value #DEFAULT_MAX_RUNS_IN_FLIGHT} runs, and no bytes quota beyond the cluster-wide cap on retained bytes
     * (a single principal, such as {@code phasegrid run}'s, may use the whole cluster; set one for shared clusters).
     */
    public static QuotaLimits defaults() {
        return new QuotaLimits(DEFAULT_MAX_RUNS_IN_FLIGHT, Long.MAX_VALUE);
    }
}
