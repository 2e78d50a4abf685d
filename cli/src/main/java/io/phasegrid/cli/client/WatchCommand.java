package io.phasegrid.cli.client;

import io.grpc.ManagedChannel;
import io.phasegrid.proto.v1.Run;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code phasegrid watch RUN}: a live progress bar from the run's event stream (with the cluster's busy slots), then
 * the summary, the workers' utilisation and the ledger.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow a run live (progress bar with the busy slots on a terminal, plain lines otherwise), then",
            "show it as status does; exit code as status --wait."})
public final class WatchCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
    String runId;

    @Override
    int run(ManagedChannel channel) {
        Run run = new RunProgress(System.err, RunProgress.terminal(), false).follow(channel, runId);
        printRun(run, ClusterView.fetch(channel));
        return RunReport.exitCode(run);
    }
}
