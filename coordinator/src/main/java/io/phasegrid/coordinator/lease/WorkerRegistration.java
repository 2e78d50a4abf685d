package io.phasegrid.coordinator.lease;

/** A registered worker and the lease timings it must follow. */
public record WorkerRegistration(String workerId, long heartbeatIntervalMs, long leaseTtlMs) {
}
