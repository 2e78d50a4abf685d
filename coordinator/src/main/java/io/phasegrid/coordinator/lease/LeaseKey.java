package io.phasegrid.coordinator.lease;

/** Identifies one lease: every call about a leased phase carries its epoch. */
public record LeaseKey(String runId, String phaseKey, long epoch) {
}
