package io.phasegrid.cli.cluster;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.worker.executor.CommandTemplate;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.executor.ShellExecutor;
import io.phasegrid.worker.executor.ShellOptions;
import io.phasegrid.worker.executor.SimulateExecutor;
import io.phasegrid.worker.executor.SimulateOptions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Option;

/** How a worker executes plans: {@code --executor simulate|shell} and their options (the operator's choice). */
public final class ExecutorOptions {

    /** Milliseconds per 1,000 estimated tokens that make README's example run take about ten seconds. */
    public static final double DEFAULT_TIME_SCALE = 180;

    @Option(names = "--executor", paramLabel = "simulate|shell", defaultValue = "simulate",
            description = "simulate: sleep the estimate x time scale; shell: run --command per plan (default ${DEFAULT-VALUE}).")
    String executor;

    @Option(names = "--time-scale", paramLabel = "MS", defaultValue = "" + DEFAULT_TIME_SCALE,
            description = "simulate: milliseconds per 1,000 estimated tokens (0 = no sleep; default ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--fail", split = ",", paramLabel = "KEY",
            description = "simulate: phases that fail (demos and tests).")
    List<String> fail = List.of();

    @Option(names = "--fail-attempts", paramLabel = "N", defaultValue = "0",
            description = "simulate: fail only the first N attempts of --fail phases (0 = every attempt).")
    int failAttempts;

    @Option(names = "--command", paramLabel = "TEMPLATE",
            description = "shell: command per plan, e.g. 'claude -p {plan_file} --output-format json' "
                    + "(placeholders {plan_file} {plan_id} {phase} {phase_name} {run} {attempt} {workspace} "
                    + "{checkpoint_file}; never run through a shell).")
    String command;

    @Option(names = "--plan-timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "shell: kill a plan's command after this long (0 = no limit).")
    long planTimeoutSeconds;

    /** Whether plans do real work (shell), so a run may touch git; simulate never does. */
    public boolean doesWork() {
        return "shell".equals(executor);
    }

    public PhaseExecutor create() {
        switch (executor) {
            case "simulate" -> {
                if (timeScale < 0) {
                    throw new InvalidInputException("--time-scale must not be negative");
                }
                return new SimulateExecutor(SimulateOptions.builder()
                        .timeScale(timeScale)
                        .failPhaseKeys(new LinkedHashSet<>(fail))
                        .failAttempts(failAttempts)
                        .build());
            }
            case "shell" -> {
                if (command == null || command.isBlank()) {
                    throw new InvalidInputException("--executor shell needs --command TEMPLATE");
                }
                ShellOptions.Builder options = ShellOptions.builder(CommandTemplate.parse(command));
                if (planTimeoutSeconds > 0) {
                    options.planTimeout(Duration.ofSeconds(planTimeoutSeconds));
                }
                return new ShellExecutor(options.build());
            }
            default -> throw new InvalidInputException(
                    "--executor " + executor + ": expected simulate or shell");
        }
    }
}
