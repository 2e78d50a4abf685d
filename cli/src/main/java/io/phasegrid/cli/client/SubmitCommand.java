package io.phasegrid.cli.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.git.GitMode;
import io.phasegrid.cli.git.GitSubmission;
import io.phasegrid.cli.git.ProjectRepository;
import io.phasegrid.cli.json.Json;
import io.phasegrid.proto.v1.BundleFile;
import io.phasegrid.proto.v1.PlanningBundle;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.SubmitRunResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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

    @Option(names = "--git", paramLabel = "auto|on|off", defaultValue = "auto",
            description = "A git run (workers check out --repo at --base): auto = when PATH's project root is the top"
                    + " level of a git work tree whose branch tracks a remote, or --repo is given (default ${DEFAULT-VALUE}).")
    String git;

    @Option(names = "--repo", paramLabel = "URL",
            description = "The repository workers fetch and push (default: the remote the current branch tracks).")
    String repo;

    @Option(names = "--base", paramLabel = "REV", defaultValue = "HEAD",
            description = "The commit the run is based on; it must be on --repo (default ${DEFAULT-VALUE}).")
    String base;

    @Option(names = "--deliver", paramLabel = "branch|fast-forward", defaultValue = "branch",
            description = "branch: only phasegrid/<run>/result; fast-forward: also move the base branch on --repo"
                    + " if it is still at the base (default ${DEFAULT-VALUE}).")
    String deliver;

    @Override
    int run(ManagedChannel channel) throws InterruptedException {
        SubmitRunResponse response;
        try (GitSubmission submission = gitSubmission()) {
            SubmitRunRequest request = submission == null ? request(path, key, name, options)
                    : request(submission.planning(), key, name, options).toBuilder()
                            .setGit(submission.source()).build();
            response = RunServiceGrpc.newBlockingStub(channel).submit(request);
        }
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

    /** The git side of this submission, or null for a plain run. */
    private GitSubmission gitSubmission() throws InterruptedException {
        GitMode mode = GitMode.of(git);
        if (mode == GitMode.OFF) {
            if (repo != null) {
                throw new InvalidInputException("--repo needs a git run: drop --git off");
            }
            return null;
        }
        Optional<ProjectRepository> repository = ProjectRepository.of(path);
        if (repository.isEmpty()) {
            if (mode == GitMode.ON || repo != null) {
                throw new InvalidInputException(path + ": not a git run: the project root (the folder holding"
                        + " .planning) is not the top level of a git work tree");
            }
            return null;
        }
        String url = repo;
        if (url == null) {
            try {
                url = repository.get().trackedRemoteUrl();
            } catch (InvalidInputException e) {
                if (mode == GitMode.ON) {
                    throw e;
                }
                err().println("warning: submitting a plain run (no git): " + e.getMessage());
                return null;
            }
        }
        GitSubmission submission = GitSubmission.prepare(repository.get(), base, url,
                GitSubmission.delivery(deliver), err());
        try {
            repository.get().requireOnRemote(url, submission.source().getBaseCommit());
            return submission;
        } catch (RuntimeException e) {
            submission.close();
            throw e;
        }
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
