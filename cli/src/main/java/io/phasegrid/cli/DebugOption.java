package io.phasegrid.cli;

import picocli.CommandLine.Option;

/** {@code --debug}: print stack traces of unexpected errors (read by {@link PhaseGridCommand#execute}). */
public final class DebugOption {

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;
}
