package io.phasegrid.cli.cluster;

import io.grpc.Grpc;
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
import io.phasegrid.coordinator.auth.ServerSecurity;
import io.phasegrid.coordinator.auth.TokenSecrets;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.node.CoordinatorNode;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.metrics.MetricsServer;
import io.phasegrid.metrics.PrometheusMetrics;
import io.phasegrid.proto.v1.Delivery;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.SetBudgetRequest;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.worker.agent.StreamCoordinatorLink;
import io.phasegrid.worker.agent.WorkerAgent;
import io.phasegrid.worker.agent.WorkerOptions;
import io.phasegrid.worker.metrics.WorkerMetrics;
import io.phasegrid.worker.security.ClientSecurity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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

        ClusterSettings cluster = ClusterSettings.builder()
                .clusterName("phasegrid-run-" + UUID.randomUUID())
                .build();
        List<WorkerAgent> agents = new ArrayList<>();
        // authenticated like any coordinator, with a token only this process knows
        String localToken = TokenSecrets.generate();
        ClientSecurity client = ClientSecurity.token(localToken);
        // one endpoint for the embedded coordinator and workers: one registry, the workers' meters summed
        try (PrometheusMetrics registry = metrics.enabled() ? PrometheusMetrics.create() : null;
                CoordinatorNode node = CoordinatorNode.start(new CoordinatorNode.Options(cluster, "127.0.0.1", 0,
                        leases.timings(), leases.sweepInterval(), SubmissionLimits.defaults())
                        .withSecurity(ServerSecurity.local(localToken)),
                        registry == null ? null : registry.registry());
                MetricsServer endpoint = registry == null ? null : metrics.start(registry.registry(), node::ready)) {
            WorkerMetrics workerMetrics = WorkerMetrics.disabled();
            if (endpoint != null) {
                endpoint.beforeScrape(node.metrics()::refreshGauges);
                workerMetrics = new WorkerMetrics(registry.registry());
                err().printf("metrics at %s%n", endpoint.uri("/metrics"));
            }
            String address = "127.0.0.1:" + node.grpcPort();
            ManagedChannel channel = Grpc.newChannelBuilder(address, client.credentials())
                    .maxInboundMessageSize(64 << 20).build();
            try {
                if (options.budgetTokens() > 0) {
                    // a private cluster: the run's budget is the ledger's, so running out pauses the run (exit 3)
                    LedgerServiceGrpc.newBlockingStub(channel)
                            .setBudget(SetBudgetRequest.newBuilder().setBudget(options.budgetTokens()).build());
                }
                for (int i = 1; i <= workers; i++) {
                    WorkerOptions worker = WorkerOptions.builder()
                            .name("local-" + i)
                            .slots(slots)
                            .coordinators(List.of(address))
                            .pollWait(Duration.ofSeconds(5))
                            .drainGrace(Duration.ofSeconds(5))
                            .metrics(workerMetrics)
                            .build();
                    agents.add(new WorkerAgent(worker, executor.create(),
                            StreamCoordinatorLink.factory(worker.rpcTimeout(), client)).start());
                }
                SubmitRunRequest request = SubmitCommand.request(planning, key, "", options);
                if (submission != null) {
                    request = request.toBuilder().setGit(submission.source()).build();
                }
                String runId = RunServiceGrpc.newBlockingStub(channel).submit(request).getRunId();
                err.println("submitted run " + runId);
                err.flush();
                Run run = new RunProgress(System.err, RunProgress.terminal(), false).onOwnCluster(workers * slots)
                        .follow(channel, runId);
                PrintWriter out = out();
                long now = System.currentTimeMillis();
                String delivered = deliver(submission, run);
                if (!delivered.isEmpty()) {
                    run = run.toBuilder().setGit(run.getGit().toBuilder().setDeliveryNote(delivered)).build();
                }
                if (json) {
                    out.println(Json.pretty(RunReport.json(run, now)));
                } else {
                    RunReport.printSummary(out, run, now);
                }
                return RunReport.exitCode(run);
            } finally {
                agents.forEach(a -> a.drain(Duration.ZERO));
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Fast-forwards the user's checkout to a successful git run's result when asked; what happened, or empty. */
    private String deliver(GitSubmission submission, Run run) throws InterruptedException {
        if (submission == null || !fastForward || run.getGit().getResultCommit().isEmpty()) {
            return "";
        }
        return submission.repository().fastForward(submission.source().getBaseBranch(),
                submission.source().getBaseCommit(), run.getGit().getResultCommit());
    }
}
