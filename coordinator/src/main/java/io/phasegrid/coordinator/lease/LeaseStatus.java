package io.phasegrid.coordinator.lease;

/**
 * What a heartbeat found for one lease.
 *
 * @param held false when the lease expired or a newer epoch exists: the worker stops and reports nothing
 * @param cancelled the run was cancelled: the worker stops and reports the phase abandoned
 */
public record LeaseStatus(LeaseKey key, boolean held, boolean cancelled, long expiresAtMs) {
}
