package io.phasegrid.common.roadmap;

/** Status of a phase as read from the roadmap, before any execution. */
public enum PhaseStatus {
    /** Not done: a run schedules it. */
    PENDING,
    /** Checked off ({@code [x]}), inside a collapsed {@code <details>} milestone, or every plan has a SUMMARY. */
    COMPLETE,
    /** A {@code 999.x} backlog phase: not executed unless asked. */
    BACKLOG;

    /** Lower-case name used in JSON. */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
