package io.phasegrid.cli.client;

import io.grpc.ManagedChannel;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasegrid status RUN [--wait]}: the run's phases and totals, then the workers' utilisation and the ledger. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a run, then each worker's busy/total slots and the token ledger. With --wait, follow the",
            "run to the end; the exit code is then the run's:",
            "0 succeeded, 1 failed or cancelled, 3 paused on its token budget."})
public final class StatusCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
    String runId;

    @Option(names = "--wait", description = "Wait until the run ends (or pauses on budget).")
    boolean await;

    @Override
    int run(ManagedChannel channel) {
        Run run = await
                ? new RunProgress(System.err, false, true).follow(channel, runId)
                : RunServiceGrpc.newBlockingStub(channel).getRun(GetRunRequest.newBuilder().setRunId(runId).build());
        printRun(run, ClusterView.fetch(channel));
        return await ? RunReport.exitCode(run) : 0;
    }
}
