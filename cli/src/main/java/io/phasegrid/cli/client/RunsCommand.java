package io.phasegrid.cli.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.phasegrid.cli.json.Json;
import io.phasegrid.proto.v1.ListRunsRequest;
import io.phasegrid.proto.v1.ListRunsResponse;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunServiceGrpc;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code phasegrid runs}: the coordinator's runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
public final class RunsCommand extends ClientCommand {

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N runs (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(ManagedChannel channel) {
        ListRunsResponse response = RunServiceGrpc.newBlockingStub(channel)
                .listRuns(ListRunsRequest.newBuilder().setLimit(Math.max(1, limit)).build());
        long now = System.currentTimeMillis();
        if (json) {
            ObjectNode root = Json.object();
            ArrayNode runs = root.putArray("runs");
            for (Run run : response.getRunsList()) {
                ObjectNode node = runs.addObject();
                node.put("runId", run.getRunId());
                node.put("name", run.getName());
                node.put("state", RunReport.stateName(run.getState()));
                node.put("createdAt", run.getCreatedAtMs());
                node.put("makespanMs", RunReport.makespanMs(run, now));
            }
            out().println(Json.pretty(root));
        } else {
            out().printf("%-28s  %-10s  %10s  %s%n", "RUN", "STATE", "MAKESPAN", "NAME");
            for (Run run : response.getRunsList()) {
                out().printf(Locale.ROOT, "%-28s  %-10s  %10s  %s%n", run.getRunId(),
                        RunReport.stateName(run.getState()), RunReport.seconds(RunReport.makespanMs(run, now)),
                        run.getName());
            }
        }
        return 0;
    }
}
