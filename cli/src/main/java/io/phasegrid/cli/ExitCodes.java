package io.phasegrid.cli;

/** Exit codes of every phasegrid command (documented in docs/cli.md). */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** A negative answer: {@code check} sequential only / cannot run together; a run that failed or was cancelled. */
    public static final int NEGATIVE = 1;
    /** Invalid input (cycle, no phases, unreadable, binary or over-size file) or a usage error. */
    public static final int INVALID_INPUT = 2;
    /** A run paused on its token budget ({@code run}, {@code status --wait}, {@code watch}). */
    public static final int PAUSED = 3;
    /** The coordinator could not be reached. */
    public static final int UNAVAILABLE = 4;

    private ExitCodes() {
    }
}
