package io.phasegrid.coordinator.lease;

/**
 * The coordinator's lease timings (an operator's setting, not a submitter's): workers heartbeat every
 * {@code heartbeatIntervalMs}; a lease not renewed for {@code leaseTtlMs} expires. Defaults 10 s and 30 s.
 */
public record LeaseTimings(long heartbeatIntervalMs, long leaseTtlMs) {

    public static final LeaseTimings DEFAULT = new LeaseTimings(10_000, 30_000);

    public LeaseTimings {
        if (heartbeatIntervalMs < 1 || leaseTtlMs < 1) {
            throw new IllegalArgumentException("lease timings must be positive");
        }
        if (leaseTtlMs <= heartbeatIntervalMs) {
            throw new IllegalArgumentException("the lease TTL (" + leaseTtlMs
                    + " ms) must be longer than the heartbeat interval (" + heartbeatIntervalMs + " ms)");
        }
    }
}
