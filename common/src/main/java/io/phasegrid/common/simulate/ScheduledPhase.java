package io.phasegrid.common.simulate;

/** Where and when a phase ran in a simulated schedule; slots are numbered from 0. */
public record ScheduledPhase(String key, int slot, double startMinute, double endMinute) {
}
