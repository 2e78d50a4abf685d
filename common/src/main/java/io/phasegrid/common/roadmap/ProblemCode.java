package io.phasegrid.common.roadmap;

/**
 * Stable codes of parsing and validation findings. Names are part of the JSON contract: add, never rename.
 */
public enum ProblemCode {
    // input
    UNREADABLE_INPUT(Severity.ERROR),
    BINARY_INPUT(Severity.ERROR),
    INPUT_TOO_LARGE(Severity.ERROR),
    NOT_UTF8(Severity.WARNING),
    NO_PHASES(Severity.ERROR),
    NO_ROADMAP(Severity.ERROR),
    // phases
    DUPLICATE_PHASE_ID(Severity.WARNING),
    DUPLICATE_PHASE_DEFINITION(Severity.WARNING),
    NUMBERING_RESTART(Severity.WARNING),
    STATUS_CONFLICT(Severity.WARNING),
    // dependencies
    UNKNOWN_DEPENDENCY(Severity.WARNING),
    AMBIGUOUS_DEPENDENCY(Severity.WARNING),
    SELF_DEPENDENCY(Severity.WARNING),
    EXTERNAL_DEPENDENCY(Severity.WARNING),
    MILESTONE_DEPENDENCY(Severity.WARNING),
    UNPARSED_DEPENDENCY(Severity.WARNING),
    FORWARD_DEPENDENCY(Severity.WARNING),
    BACKLOG_DEPENDENCY(Severity.WARNING),
    GARBLED_RANGE(Severity.WARNING),
    CYCLE(Severity.ERROR),
    // plans
    INVALID_FRONTMATTER(Severity.WARNING),
    UNKNOWN_PLAN_DEPENDENCY(Severity.WARNING),
    PLAN_WAVE_MISMATCH(Severity.WARNING),
    PLAN_CYCLE(Severity.WARNING),
    ORPHAN_PHASE_FOLDER(Severity.WARNING),
    DUPLICATE_PHASE_FOLDER(Severity.WARNING),
    // settings
    INVALID_CONFIG(Severity.WARNING),
    // plans (added later: codes are appended, never reordered)
    AMBIGUOUS_PHASE_FOLDER(Severity.WARNING);

    private final Severity defaultSeverity;

    ProblemCode(Severity defaultSeverity) {
        this.defaultSeverity = defaultSeverity;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }
}
