package io.phasegrid.cli.cluster;

import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.client.CoordinatorOption;
import io.phasegrid.metrics.MetricsServer;
import io.phasegrid.metrics.PrometheusMetrics;
import io.phasegrid.worker.agent.StreamCoordinatorLink;
import io.phasegrid.worker.agent.WorkerAgent;
import io.phasegrid.worker.agent.WorkerOptions;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.metrics.WorkerMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code phasegrid worker}: a worker process that executes leased phases until SIGTERM (then drains). */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run a worker: register with the coordinator(s), poll for phases, execute them.",
            "SIGTERM drains: no new phases, running ones finish within --drain-grace, the rest are handed back."})
public final class WorkerCommand extends ProcessCommand {

    @Mixin
    CoordinatorOption coordinator;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "4", description = "Phases at once (default ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--name", paramLabel = "W", description = "Worker name (default: host name + pid).")
    String name;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Labels reported to the coordinator.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--workspace", paramLabel = "DIR", description = "Where phases run (default: a temporary folder).")
    Path workspace;

    @Option(names = "--drain-grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM, how long running phases may take to finish (default ${DEFAULT-VALUE}).")
    long drainGraceSeconds;

    @Mixin
    ExecutorOptions executor;

    @Override
    public Integer call() throws Exception {
        logs.use();
        if (slots < 1) {
            throw new InvalidInputException("--slots must be at least 1");
        }
        List<String> addresses = Arrays.stream(coordinator.address().split(","))
                .map(String::strip).filter(a -> !a.isEmpty()).toList();
        WorkerOptions.Builder options = WorkerOptions.builder()
                .slots(slots)
                .labels(labels)
                .coordinators(addresses)
                .drainGrace(Duration.ofSeconds(Math.max(0, drainGraceSeconds)));
        if (name != null) {
            options.name(name);
        }
        if (workspace != null) {
            options.workspaceRoot(workspace);
        }
        PhaseExecutor phases = executor.create();
        PrometheusMetrics registry = metrics.enabled() ? PrometheusMetrics.create() : null;
        if (registry != null) {
            options.metrics(new WorkerMetrics(registry.registry()));
        }
        WorkerOptions built = options.build();
        WorkerAgent agent = new WorkerAgent(built, phases,
                StreamCoordinatorLink.factory(built.rpcTimeout(), coordinator.clientSecurity()));
        MetricsServer server = null;
        if (registry != null) {
            try {
                server = metrics.start(registry.registry(), agent::connected); // ready once registered
            } catch (RuntimeException e) {
                agent.close();
                registry.close();
                throw e;
            }
        }
        MetricsServer endpoint = server;
        CountDownLatch stopped = new CountDownLatch(1);
        agent.start();
        Thread hook = new Thread(() -> {
            try {
                agent.close();
            } finally {
                if (endpoint != null) {
                    endpoint.close();
                    registry.close();
                }
                stopped.countDown();
            }
        }, "phasegrid-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err().printf("worker %s: %d slots, %s executor, coordinator %s%n",
                agent.options().name(), slots, executor.executor, String.join(",", addresses));
        if (endpoint != null) {
            err().printf("worker %s: metrics at %s%n", agent.options().name(),
                    endpoint.uri("/metrics"));
        }
        err().flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
