package io.phasegrid.cli.client;

import io.grpc.ManagedChannel;
import io.phasegrid.proto.v1.CancelRunRequest;
import io.phasegrid.proto.v1.RunServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code phasegrid cancel RUN}. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a run's unfinished phases.")
public final class CancelCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
    String runId;

    @Override
    int run(ManagedChannel channel) {
        printRun(RunServiceGrpc.newBlockingStub(channel).cancelRun(CancelRunRequest.newBuilder().setRunId(runId).build()));
        return 0;
    }
}
