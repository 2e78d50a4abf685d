package io.phasegrid.cli.cluster;

import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.client.CoordinatorOption;
import io.phasegrid.metrics.MetricsServer;
import io.phasegrid.metrics.PrometheusMetrics;
import io.phasegrid.worker.agent.StreamCoordinatorLink;
import io.phasegrid.worker.agent.WorkerAgent;
import io.phasegrid.worker.agent.WorkerOptions;
import io.phasegrid.worker.executor.CommandTemplate;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.git.Git;
import io.phasegrid.worker.git.GitException;
import io.phasegrid.worker.git.GitOptions;
import io.phasegrid.worker.metrics.WorkerMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    @Option(names = "--git-allow", paramLabel = "PREFIX",
            description = "Repository URL prefix git leases may use (repeatable); a git lease of any other URL fails.")
    List<String> gitAllow = new ArrayList<>();

    @Option(names = "--git-ssh-key", paramLabel = "PREFIX=KEYFILE",
            description = "Private key for git's own fetches and pushes to URLs starting with PREFIX.")
    Map<String, Path> gitSshKeys = new LinkedHashMap<>();

    @Option(names = "--git-known-hosts", paramLabel = "FILE", description = "known_hosts for those ssh connections.")
    Path gitKnownHosts;

    @Option(names = "--git-token", paramLabel = "PREFIX=TOKENFILE",
            description = "File holding an https token for URLs starting with PREFIX (read by an askpass helper).")
    Map<String, Path> gitTokens = new LinkedHashMap<>();

    @Option(names = "--git-resolver", paramLabel = "COMMAND",
            description = "Run in the worktree when merging a phase's inputs conflicts; exit 0 and no conflict left"
                    + " = resolved.")
    String gitResolver;

    @Option(names = "--git-integrate-command", paramLabel = "COMMAND",
            description = "Run per phase at integration ({phase}, {phase_name}, {run}) instead of PhaseGrid's own"
                    + " ROADMAP/STATE update, e.g. 'gsd-sdk query phase.complete {phase}'.")
    String gitIntegrateCommand;

    @Option(names = "--git-verify-command", paramLabel = "COMMAND",
            description = "Run on the integrated result before it is pushed; non-zero fails the integration.")
    String gitVerifyCommand;

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
        options.git(gitOptions());
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

    /** The --git-* flags as options; git itself is checked (>= 2.38) when any repository is allowed. */
    GitOptions gitOptions() throws InterruptedException {
        for (Map.Entry<String, Path> file : merged(gitSshKeys, gitTokens).entrySet()) {
            if (!Files.isReadable(file.getValue())) {
                throw new InvalidInputException("cannot read " + file.getValue() + " (for " + file.getKey() + ")");
            }
        }
        if (gitKnownHosts != null && !Files.isReadable(gitKnownHosts)) {
            throw new InvalidInputException("cannot read --git-known-hosts " + gitKnownHosts);
        }
        GitOptions git;
        try {
            git = new GitOptions(gitAllow, gitSshKeys, gitKnownHosts, gitTokens, template(gitResolver),
                    template(gitIntegrateCommand), template(gitVerifyCommand), GitOptions.DEFAULT_COMMAND_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        try {
            git.requireGit();
        } catch (GitException e) {
            throw new InvalidInputException("--git-allow needs git " + Git.MINIMUM_VERSION[0] + "."
                    + Git.MINIMUM_VERSION[1] + " or newer: " + e.getMessage());
        }
        return git;
    }

    private static Map<String, Path> merged(Map<String, Path> a, Map<String, Path> b) {
        Map<String, Path> all = new LinkedHashMap<>();
        a.forEach((k, v) -> all.put("--git-ssh-key " + k, v));
        b.forEach((k, v) -> all.put("--git-token " + k, v));
        return all;
    }

    private static CommandTemplate template(String command) {
        return command == null ? null : CommandTemplate.parse(command);
    }
}
