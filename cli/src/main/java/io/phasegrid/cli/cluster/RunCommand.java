package io.phasegrid.cli.cluster;

import io.grpc.ManagedChannel;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.client.RunOptionsMixin;
import io.phasegrid.cli.client.RunProgress;
import io.phasegrid.cli.client.RunReport;
import io.phasegrid.cli.client.SubmitCommand;
import io.phasegrid.cli.git.GitMode;
import io.phasegrid.cli.git.GitSubmission;
import io.phasegrid.cli.git.ProjectRepository;
import io.phasegrid.cli.json.Json;
import io.phasegrid.cli.offline.RoadmapInput;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.coordinator.store.StoreSettings;
import io.phasegrid.proto.v1.Delivery;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.SetBudgetRequest;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.worker.git.GitOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasegrid run PATH}: the embedded default. One process with a coordinator (one Hazelcast member) and N
 * local workers talking real gRPC over loopback; runs the roadmap and prints the summary.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Execute a roadmap on this machine: an embedded coordinator and --workers local workers",
            "over gRPC on loopback. Exit 0 succeeded, 1 failed or cancelled, 2 invalid input, 3 paused on budget."})
public final class RunCommand extends ProcessCommand {

    @Parameters(index = "0", paramLabel = "PATH", description = "A .planning folder, a project root or a ROADMAP.md.")
    Path path;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "3", description = "Local workers (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--slots", paramLabel = "S", defaultValue = "2", description = "Slots per worker (default ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--json", description = "Print the final run as JSON.")
    boolean json;

    @Option(names = "--key", paramLabel = "K", description = "Idempotency key of the submission.")
    String key = "";

    @Option(names = "--git", paramLabel = "auto|on|off", defaultValue = "auto",
            description = "Run on the project's git repository at HEAD, each phase in a worktree with its"
                    + " dependencies' results merged, ending in branch phasegrid/<run>/result: auto = when the"
                    + " project root is the top level of a git work tree and --executor is shell (default ${DEFAULT-VALUE}).")
    String git;

    @Option(names = "--deliver", paramLabel = "branch|fast-forward", defaultValue = "fast-forward",
            description = "Git runs: fast-forward also moves your checkout to the result when it is clean and still"
                    + " at the base; branch leaves it alone (default ${DEFAULT-VALUE}).")
    String deliver;

    @Mixin
    RunOptionsMixin options;

    @Mixin
    ExecutorOptions executor;

    @Mixin
    LeaseTimingOptions leases;

    @Mixin
    StoreOptions store;

    @Option(names = "--resume", description = "Continue the interrupted run of this roadmap (after a crash or"
            + " Ctrl-C): completed phases are kept, running ones resume from their checkpoints.")
    boolean resume;

    private boolean fastForward;

    /**
     * The local pre-check, with the coordinator's parser and the same analysis options the submission carries, so
     * bad input fails here with file:line relative to the caller. What a run of the pending phases tolerates (a
     * cycle confined to complete phases) is printed as a warning.
     */
    Analysis checkRunnable(RoadmapInput input, PrintWriter err) {
        Analysis analysis = input.requireRunnable(input.analyze(options.analysisOptions()), options.includeComplete());
        if (!options.includeComplete()) {
            analysis.completePhaseErrors().forEach(e -> err.println(input.renderWarning(e)));
        }
        return analysis;
    }

    @Override
    public Integer call() throws Exception {
        logs.use();
        if (workers < 1 || slots < 1) {
            throw new InvalidInputException("--workers and --slots must be at least 1");
        }
        PrintWriter err = err();
        if (resume) {
            fastForward = GitSubmission.delivery(deliver) == Delivery.DELIVERY_FAST_FORWARD;
            return run(path, null, err); // the run's roadmap and git base are in its stored state
        }
        try (GitSubmission submission = gitSubmission(err)) {
            Path planning = submission == null ? path : submission.planning();
            checkRunnable(new RoadmapInput(planning), err);
            return run(planning, submission, err);
        }
    }

    /** The git side of this run, or null for a plain one: never for a dry run, unless --git on says so. */
    private GitSubmission gitSubmission(PrintWriter err) throws InterruptedException {
        GitMode mode = GitMode.of(git);
        Delivery delivery = GitSubmission.delivery(deliver);
        if (mode == GitMode.OFF || (mode == GitMode.AUTO && !executor.doesWork())) {
            return null;
        }
        Optional<ProjectRepository> repository = ProjectRepository.of(path);
        if (repository.isEmpty()) {
            if (mode == GitMode.ON) {
                throw new InvalidInputException(path + ": --git on, but the project root (the folder holding"
                        + " .planning) is not the top level of a git work tree");
            }
            return null;
        }
        // the workers only push the result branch; the checkout is fast-forwarded here, by the user's own git
        GitSubmission submission = GitSubmission.prepare(repository.get(), "HEAD", repository.get().fileUrl(),
                Delivery.DELIVERY_BRANCH, err);
        fastForward = delivery == Delivery.DELIVERY_FAST_FORWARD;
        err.printf("git run of %s at %s%n", repository.get().root(), submission.source().getBaseCommit());
        return submission;
    }

    private int run(Path planning, GitSubmission submission, PrintWriter err) throws Exception {
        err.printf("starting embedded coordinator (1 Hazelcast member) and %d local worker%s (%d slot%s each)...%n",
                workers, workers == 1 ? "" : "s", slots, slots == 1 ? "" : "s");
        err.flush();
        RunState.Resumed resumed = resume ? RunState.last(path) : null;
        RunState state = resumed != null ? resumed.state() : RunState.fresh(path);
        Optional<StoreSettings> stored = store.settings(Optional.of(state.jdbcUrl()));
        Run run;
        try (EmbeddedCluster cluster = EmbeddedCluster.start(new EmbeddedCluster.Spec(workers, slots,
                leases.timings(), leases.sweepInterval(), stored, executor::create, metrics, git(submission)), err)) {
            ManagedChannel channel = cluster.channel();
            String runId;
            if (resumed != null) {
                runId = resumed.runId();
                err.println("resuming run " + runId + " from " + state.dir());
            } else {
                if (options.budgetTokens() > 0) {
                    // a private cluster: the run's budget is the ledger's, so running out pauses the run (exit 3)
                    LedgerServiceGrpc.newBlockingStub(channel)
                            .setBudget(SetBudgetRequest.newBuilder().setBudget(options.budgetTokens()).build());
                }
                SubmitRunRequest request = SubmitCommand.request(planning, key, "", options);
                if (submission != null) {
                    request = request.toBuilder().setGit(submission.source()).build();
                }
                runId = RunServiceGrpc.newBlockingStub(channel).submit(request).getRunId();
                if (stored.isPresent()) {
                    state.recordRun(runId);
                }
                err.println("submitted run " + runId);
            }
            err.flush();
            run = new RunProgress(System.err, RunProgress.terminal(), false).onOwnCluster(workers * slots)
                    .follow(channel, runId);
        }
        if (stored.isPresent() && run.getState() != io.phasegrid.proto.v1.RunState.RUN_PAUSED) {
            state.forget(); // finished: nothing left to resume
        }
        String delivered = deliver(run);
        if (!delivered.isEmpty()) {
            run = run.toBuilder().setGit(run.getGit().toBuilder().setDeliveryNote(delivered)).build();
        }
        PrintWriter out = out();
        long now = System.currentTimeMillis();
        if (json) {
            out.println(Json.pretty(RunReport.json(run, now)));
        } else {
            RunReport.printSummary(out, run, now);
        }
        return RunReport.exitCode(run);
    }

    /** The embedded workers may fetch from and push to this project's own repository, and nothing else. */
    private GitOptions git(GitSubmission submission) {
        if (submission != null) {
            return GitOptions.none().allowing(List.of(submission.source().getRepoUrl()));
        }
        return resume ? ProjectRepository.of(path).map(r -> GitOptions.none().allowing(List.of(r.fileUrl())))
                .orElse(GitOptions.none()) : GitOptions.none();
    }

    /** Fast-forwards the user's checkout to a successful git run's result when asked; what happened, or empty. */
    private String deliver(Run run) throws InterruptedException {
        if (!fastForward || run.getGit().getResultCommit().isEmpty()) {
            return "";
        }
        Optional<ProjectRepository> repository = ProjectRepository.of(path);
        if (repository.isEmpty()) {
            return "";
        }
        return repository.get().fastForward(run.getGit().getBaseBranch(), run.getGit().getBaseCommit(),
                run.getGit().getResultCommit());
    }
}
