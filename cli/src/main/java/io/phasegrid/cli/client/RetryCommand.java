package io.phasegrid.cli.client;

import io.grpc.ManagedChannel;
import io.phasegrid.proto.v1.RetryRunRequest;
import io.phasegrid.proto.v1.RunServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code phasegrid retry RUN}: re-runs failed, blocked and cancelled phases; successes are kept. */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Re-run the failed, blocked and cancelled phases of a finished run.")
public final class RetryCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
    String runId;

    @Override
    int run(ManagedChannel channel) {
        printRun(RunServiceGrpc.newBlockingStub(channel).retryRun(RetryRunRequest.newBuilder().setRunId(runId).build()));
        return 0;
    }
}
