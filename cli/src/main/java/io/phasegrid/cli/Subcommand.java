package io.phasegrid.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every {@code phasegrid} subcommand: {@code --debug} (read by {@link PhaseGridCommand#execute}) and the
 * command's spec, whose streams the command prints to.
 */
public abstract class Subcommand implements Callable<Integer> {

    @Mixin
    protected DebugOption debug;

    @Spec
    protected CommandSpec spec;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
