package io.phasegrid.cli.cluster;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.client.RunOptionsMixin;
import io.phasegrid.cli.client.RunProgress;
import io.phasegrid.cli.client.RunReport;
import io.phasegrid.cli.client.SubmitCommand;
import io.phasegrid.cli.json.Json;
import io.phasegrid.cli.offline.RoadmapInput;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.node.CoordinatorNode;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.metrics.MetricsServer;
import io.phasegrid.metrics.PrometheusMetrics;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.SetBudgetRequest;
import io.phasegrid.worker.agent.WorkerAgent;
import io.phasegrid.worker.agent.WorkerOptions;
import io.phasegrid.worker.metrics.WorkerMetrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Mixin
    RunOptionsMixin options;

    @Mixin
    ExecutorOptions executor;

    @Mixin
    LeaseTimingOptions leases;

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
        checkRunnable(new RoadmapInput(path), err);
        err.printf("starting embedded coordinator (1 Hazelcast member) and %d local worker%s (%d slot%s each)...%n",
                workers, workers == 1 ? "" : "s", slots, slots == 1 ? "" : "s");
        err.flush();

        ClusterSettings cluster = ClusterSettings.builder()
                .clusterName("phasegrid-run-" + UUID.randomUUID())
                .build();
        List<WorkerAgent> agents = new ArrayList<>();
        // one endpoint for the embedded coordinator and workers: one registry, the workers' meters summed
        try (PrometheusMetrics registry = metrics.enabled() ? PrometheusMetrics.create() : null;
                CoordinatorNode node = CoordinatorNode.start(new CoordinatorNode.Options(cluster, "127.0.0.1", 0,
                        leases.timings(), leases.sweepInterval(), SubmissionLimits.defaults()),
                        registry == null ? null : registry.registry());
                MetricsServer endpoint = registry == null ? null : metrics.start(registry.registry(), node::ready)) {
            WorkerMetrics workerMetrics = WorkerMetrics.disabled();
            if (endpoint != null) {
                endpoint.beforeScrape(node.metrics()::refreshGauges);
                workerMetrics = new WorkerMetrics(registry.registry());
                err().printf("metrics at %s%n", endpoint.uri("/metrics"));
            }
            String address = "127.0.0.1:" + node.grpcPort();
            ManagedChannel channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create())
                    .maxInboundMessageSize(64 << 20).build();
            try {
                if (options.budgetTokens() > 0) {
                    // a private cluster: the run's budget is the ledger's, so running out pauses the run (exit 3)
                    LedgerServiceGrpc.newBlockingStub(channel)
                            .setBudget(SetBudgetRequest.newBuilder().setBudget(options.budgetTokens()).build());
                }
                for (int i = 1; i <= workers; i++) {
                    agents.add(new WorkerAgent(WorkerOptions.builder()
                            .name("local-" + i)
                            .slots(slots)
                            .coordinators(List.of(address))
                            .pollWait(Duration.ofSeconds(5))
                            .drainGrace(Duration.ofSeconds(5))
                            .metrics(workerMetrics)
                            .build(), executor.create()).start());
                }
                String runId = RunServiceGrpc.newBlockingStub(channel)
                        .submit(SubmitCommand.request(path, key, "", options))
                        .getRunId();
                err.println("submitted run " + runId);
                err.flush();
                Run run = new RunProgress(System.err, RunProgress.terminal(), false).onOwnCluster(workers * slots)
                        .follow(channel, runId);
                PrintWriter out = out();
                long now = System.currentTimeMillis();
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
}
