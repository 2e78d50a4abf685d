package io.phasegrid.cli;

import picocli.CommandLine.Option;

/** {@code --debug}: print stack traces of errors; {@link PhaseGridCommand#execute} reads it from the parse result. */
public final class DebugOption {

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;
}
