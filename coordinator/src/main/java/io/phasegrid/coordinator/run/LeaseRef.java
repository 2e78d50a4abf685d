package io.phasegrid.coordinator.run;

/**
 * One lease that a transition closed or revoked (expired, cancelled), so the caller can release its reservation.
 *
 * @param phase index of the phase
 * @param key phase key
 * @param epoch the lease's epoch
 * @param estimatedTokens the phase's estimate (the reservation to release)
 * @param failedForGood an expired lease whose phase had lost too many leases: it FAILED instead of going back to
 *     READY
 * @param blockedDependents phases that became BLOCKED because of that failure
 */
public record LeaseRef(int phase, String key, long epoch, long estimatedTokens, boolean failedForGood,
        int blockedDependents) implements java.io.Serializable {

    public LeaseRef(int phase, String key, long epoch, long estimatedTokens) {
        this(phase, key, epoch, estimatedTokens, false, 0);
    }
}
