package io.phasegrid.cli.git;

import io.phasegrid.cli.InvalidInputException;

/** {@code --git auto|on|off}: whether a run is based on the project's git repository. */
public enum GitMode {
    /** When the project root is the top level of a git work tree (and, for {@code run}, the executor does work). */
    AUTO,
    /** Always; invalid input when the project is not a git repository. */
    ON,
    /** Never: the phases run in empty workspaces holding their plans, as without git. */
    OFF;

    public static GitMode of(String option) {
        return switch (option) {
            case "auto" -> AUTO;
            case "on" -> ON;
            case "off" -> OFF;
            default -> throw new InvalidInputException("--git " + option + ": expected auto, on or off");
        };
    }
}
