package io.phasegrid.cli.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.json.Json;
import io.phasegrid.proto.v1.BundleFile;
import io.phasegrid.proto.v1.PlanningBundle;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.SubmitRunResponse;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasegrid submit PATH}: sends a roadmap to a coordinator and prints the run id. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit a roadmap (.planning folder) to a coordinator; prints the run id.")
public final class SubmitCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "PATH", description = "A .planning folder, a project root or a ROADMAP.md.")
    Path path;

    @Option(names = "--key", paramLabel = "K", description = "Idempotency key: the same key returns the same run.")
    String key = "";

    @Option(names = "--name", paramLabel = "NAME", description = "Display name of the run.")
    String name = "";

    @Mixin
    RunOptionsMixin options;

    @Override
    int run(ManagedChannel channel) {
        SubmitRunResponse response = RunServiceGrpc.newBlockingStub(channel).submit(request(path, key, name, options));
        if (json) {
            ObjectNode root = Json.object();
            root.put("runId", response.getRunId());
            root.put("created", response.getCreated());
            out().println(Json.pretty(root));
        } else {
            out().println(response.getRunId());
            response.getWarningsList().forEach(w -> err().println(
                    w.getLocation().getFile() + ":" + w.getLocation().getLine() + ": warning [" + w.getCode() + "] "
                            + w.getMessage()));
        }
        return ExitCodes.OK;
    }

    public static SubmitRunRequest request(Path path, String key, String name, RunOptionsMixin options) {
        PlanningBundle.Builder bundle = PlanningBundle.newBuilder();
        for (Map.Entry<String, byte[]> file : BundleReader.read(path).entrySet()) {
            bundle.addFiles(BundleFile.newBuilder().setPath(file.getKey())
                    .setContent(ByteString.copyFrom(file.getValue())));
        }
        return SubmitRunRequest.newBuilder()
                .setIdempotencyKey(key)
                .setName(name)
                .setBundle(bundle)
                .setOptions(options.toProto())
                .build();
    }
}
