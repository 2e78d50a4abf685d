package io.phasegrid.coordinator.run;

/**
 * One lease that a transition closed or revoked (expired, cancelled), so the caller can release its reservation.
 *
 * @param phase index of the phase
 * @param key phase key
 * @param epoch the lease's epoch
 * @param estimatedTokens the phase's estimate (the reservation to release)
 */
public record LeaseRef(int phase, String key, long epoch, long estimatedTokens) implements java.io.Serializable {
}
