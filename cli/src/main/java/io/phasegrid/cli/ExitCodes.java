package io.phasegrid.cli;

/** Exit codes of every phasegrid command (documented in docs/cli.md). */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** A negative answer where the command defines one ({@code check}: sequential only / cannot run together). */
    public static final int NEGATIVE = 1;
    /** Invalid input (cycle, no phases, unreadable, binary or over-size file) or a usage error. */
    public static final int INVALID_INPUT = 2;

    private ExitCodes() {
    }
}
