package io.phasegrid.cli;

import io.phasegrid.cli.client.BudgetCommand;
import io.phasegrid.cli.client.CancelCommand;
import io.phasegrid.cli.cluster.CoordinatorCommand;
import io.phasegrid.cli.cluster.RunCommand;
import io.phasegrid.cli.cluster.WorkerCommand;
import io.phasegrid.cli.client.LedgerCommand;
import io.phasegrid.cli.client.RetryCommand;
import io.phasegrid.cli.client.Rpc;
import io.phasegrid.cli.client.RunsCommand;
import io.phasegrid.cli.client.StatusCommand;
import io.phasegrid.cli.client.SubmitCommand;
import io.phasegrid.cli.client.TokenCommand;
import io.phasegrid.cli.client.WatchCommand;
import io.phasegrid.cli.offline.AnalyzeCommand;
import io.phasegrid.cli.offline.CheckCommand;
import io.phasegrid.cli.offline.ConfigCommand;
import io.phasegrid.cli.offline.GenCommand;
import io.phasegrid.cli.offline.SimulateCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code phasegrid} command. */
@Command(
        name = "phasegrid",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs GSD roadmaps (.planning folders) on a cluster; analyses them offline.",
        subcommands = {
            AnalyzeCommand.class,
            CheckCommand.class,
            ConfigCommand.class,
            SimulateCommand.class,
            GenCommand.class,
            RunCommand.class,
            CoordinatorCommand.class,
            WorkerCommand.class,
            SubmitCommand.class,
            StatusCommand.class,
            WatchCommand.class,
            RunsCommand.class,
            CancelCommand.class,
            RetryCommand.class,
            BudgetCommand.class,
            LedgerCommand.class,
            TokenCommand.class,
            AutoComplete.GenerateCompletion.class
        },
        footer = {"", "Exit codes: 0 success, 1 negative answer (check) or run failed/cancelled, 2 invalid input,",
            "refused request or usage error, 3 run paused on its token budget, 4 coordinator unreachable.",
            "Design and docs: docs/ in the repository."})
public final class PhaseGridCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
    }

    /** Runs the command line with the given streams and returns the exit code (used by tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new PhaseGridCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> ExitCodes.INVALID_INPUT);
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("phasegrid: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.INVALID_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof InvalidInputException invalid) {
                invalid.lines().forEach(err::println);
            } else if (ex instanceof Rpc.CoordinatorUnavailableException unavailable) {
                err.println(unavailable.getMessage());
            } else {
                err.println("phasegrid: " + ex);
            }
            if (commandLine.getParseResult().hasMatchedOption("--debug")) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ex instanceof Rpc.CoordinatorUnavailableException ? ExitCodes.UNAVAILABLE : ExitCodes.INVALID_INPUT;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
