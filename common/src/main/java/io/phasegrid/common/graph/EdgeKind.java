package io.phasegrid.common.graph;

/** Why one phase must finish before another. */
public enum EdgeKind {
    /** A {@code Depends on} line of the roadmap. */
    DECLARED,
    /** A plan includes another phase's {@code SUMMARY.md} ({@code @...}). */
    SUMMARY_INCLUDE,
    /** A summary's {@code requires} names another phase. */
    SUMMARY_REQUIRES,
    /** Plans of both phases modify the same file. */
    SHARED_FILE
}
