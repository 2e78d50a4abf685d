package io.phasegrid.cli.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.phasegrid.cli.json.Json;
import io.phasegrid.proto.v1.ListRunsRequest;
import io.phasegrid.proto.v1.ListRunsResponse;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;

/** {@code phasegrid runs}: the coordinator's runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
public final class RunsCommand extends ClientCommand {

    /** Runs asked per page: the server's maximum, so a long listing takes few calls. */
    static final int PAGE_SIZE = 1_000;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most N runs in all, 0 = every run (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--state", paramLabel = "STATE", split = ",",
            description = "Only runs in these states (QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED).")
    List<String> states = List.of();

    @Override
    int run(ManagedChannel channel) {
        List<Run> listed = list(RunServiceGrpc.newBlockingStub(channel));
        long now = System.currentTimeMillis();
        if (json) {
            ObjectNode root = Json.object();
            ArrayNode runs = root.putArray("runs");
            for (Run run : listed) {
                ObjectNode node = runs.addObject();
                node.put("runId", run.getRunId());
                node.put("name", run.getName());
                node.put("owner", run.getOwner());
                node.put("state", RunReport.stateName(run.getState()));
                node.put("createdAt", run.getCreatedAtMs());
                node.put("makespanMs", RunReport.makespanMs(run, now));
            }
            out().println(Json.pretty(root));
        } else {
            out().printf("%-28s  %-10s  %10s  %-16s  %s%n", "RUN", "STATE", "MAKESPAN", "OWNER", "NAME");
            for (Run run : listed) {
                out().printf(Locale.ROOT, "%-28s  %-10s  %10s  %-16s  %s%n", run.getRunId(),
                        RunReport.stateName(run.getState()), RunReport.seconds(RunReport.makespanMs(run, now)),
                        run.getOwner(), run.getName());
            }
        }
        return 0;
    }

    /** Pages through ListRuns until {@code --limit} runs or the last page. */
    private List<Run> list(RunServiceGrpc.RunServiceBlockingStub runs) {
        ListRunsRequest.Builder request = ListRunsRequest.newBuilder();
        for (String state : states) {
            try {
                request.addStates(RunState.valueOf("RUN_" + state.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--state: unknown state '" + state
                        + "' (expected QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED or CANCELLED)");
            }
        }
        List<Run> out = new ArrayList<>();
        String token = "";
        do {
            int want = limit > 0 ? Math.min(PAGE_SIZE, limit - out.size()) : PAGE_SIZE;
            ListRunsResponse page = runs.listRuns(request.setPageSize(want).setPageToken(token).build());
            out.addAll(page.getRunsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty() && (limit <= 0 || out.size() < limit));
        return out;
    }
}
