package io.phasegrid.cli.client;

import io.grpc.ManagedChannel;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.proto.v1.PhaseResolution;
import io.phasegrid.proto.v1.RetryRunRequest;
import io.phasegrid.proto.v1.RunServiceGrpc;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasegrid retry RUN}: re-runs failed, blocked and cancelled phases; successes are kept. */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Re-run the failed, blocked and cancelled phases of a finished run.")
public final class RetryCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
    String runId;

    @Option(names = "--resolution", paramLabel = "PHASE=COMMIT",
            description = "Git runs: restart a phase that failed on a merge conflict at COMMIT (40 hex), where you"
                    + " merged its inputs and resolved the conflict; repeatable. PHASE may be 'integration'.")
    List<String> resolutions = List.of();

    @Override
    int run(ManagedChannel channel) {
        RetryRunRequest.Builder request = RetryRunRequest.newBuilder().setRunId(runId);
        for (String resolution : resolutions) {
            int eq = resolution.indexOf('=');
            if (eq <= 0 || eq == resolution.length() - 1) {
                throw new InvalidInputException("--resolution " + resolution + ": expected PHASE=COMMIT");
            }
            request.addResolutions(PhaseResolution.newBuilder().setPhaseKey(resolution.substring(0, eq))
                    .setCommit(resolution.substring(eq + 1)));
        }
        printRun(RunServiceGrpc.newBlockingStub(channel).retryRun(request.build()));
        return 0;
    }
}
