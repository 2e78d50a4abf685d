package io.phasegrid.cli.client;

import io.grpc.ManagedChannel;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.SetRunBudgetRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code phasegrid budget RUN N}: sets a run's own token budget; a run paused on it resumes. */
@Command(name = "budget", mixinStandardHelpOptions = true,
        description = "Set a run's own token budget (0 = none); a run paused on its budget resumes.")
public final class BudgetCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
    String runId;

    @Parameters(index = "1", paramLabel = "N", description = "The run's new budget in tokens (0 = no run budget).")
    long tokens;

    @Override
    int run(ManagedChannel channel) {
        printRun(RunServiceGrpc.newBlockingStub(channel).setRunBudget(SetRunBudgetRequest.newBuilder()
                .setRunId(runId).setBudgetTokens(tokens).build()));
        return 0;
    }
}
