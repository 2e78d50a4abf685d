package io.phasegrid.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the phasegrid command line in-process and captures what it printed. */
public record CliRun(int exitCode, String out, String err) {

    /** The repository's examples folder (tests run with the module folder as working directory). */
    public static final Path EXAMPLES = Path.of("..", "examples");

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PhaseGridCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
