package io.phasegrid.worker.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator's {@link CommandTemplate command} once per pending plan, in order, without a shell.
 *
 * <p>For each plan: the plan's content is written to {@code <workspace>/.phasegrid/plans/<plan-id>-PLAN.md} (for
 * a git lease, {@code {plan_file}} is the plan's own file in the worktree instead, and the agent's environment
 * loses the worker's git credentials: see {@link #stripCredentials}); the
 * template's placeholders are substituted inside their own argv elements; the same values are set as
 * {@code PHASEGRID_*} environment variables; the command runs with the workspace as its working directory and
 * standard input closed. Exit code 0 means the plan is done: its tokens are counted (see
 * {@link TokenUsageParser}, else the plan's {@linkplain PhaseTask#estimateShare(int) share of the estimate}), the
 * checkpoint file is read back as the blob, and {@link ExecutionListener#planCompleted} is called. Any other exit
 * code, a timeout or a start failure ends the attempt FAILED (the error names the plan and carries the tail of
 * standard error); the following plans do not run.
 *
 * <p>The checkpoint file ({@code <workspace>/.phasegrid/checkpoint}, {@code {checkpoint_file}}) holds the
 * task's checkpoint blob before the first plan; a command may rewrite it to keep its own state across attempts
 * (at most 1 MiB). A phase without plans runs the command once, with the phase key as plan id and the phase name
 * as a one-line plan; it is not checkpointed.
 *
 * <p>Every process started is destroyed with its descendants (SIGTERM, then SIGKILL after the
 * {@linkplain ShellOptions#killGrace() grace}) on timeout, cancellation and interrupt; descendants still alive
 * when the command exits (seen at the last {@value PhaseExecutor#CANCEL_POLL_MS} ms poll) are destroyed too.
 */
public final class ShellExecutor implements PhaseExecutor {

    private static final Logger log = LoggerFactory.getLogger(ShellExecutor.class);

    public static final String ENV_PLAN_FILE = "PHASEGRID_PLAN_FILE";
    public static final String ENV_PLAN_ID = "PHASEGRID_PLAN_ID";
    public static final String ENV_PHASE = "PHASEGRID_PHASE";
    public static final String ENV_PHASE_NAME = "PHASEGRID_PHASE_NAME";
    public static final String ENV_RUN = "PHASEGRID_RUN";
    public static final String ENV_ATTEMPT = "PHASEGRID_ATTEMPT";
    public static final String ENV_WORKSPACE = "PHASEGRID_WORKSPACE";
    public static final String ENV_CHECKPOINT_FILE = "PHASEGRID_CHECKPOINT_FILE";

    /** Largest checkpoint blob the coordinator accepts. */
    public static final int MAX_CHECKPOINT_BYTES = 1024 * 1024;

    /** Lines and characters of standard error quoted in a failure's error message. */
    static final int ERROR_TAIL_LINES = 20;
    static final int ERROR_TAIL_CHARS = 2000;

    /** How long to wait for the output of an exited process to be drained. */
    private static final long DRAIN_WAIT_MS = 2000;

    private final ShellOptions options;

    public ShellExecutor(ShellOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public ShellOptions options() {
        return options;
    }

    @Override
    public PhaseOutcome execute(PhaseTask task, ExecutionListener listener) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Path workspace = task.workspace().toAbsolutePath();
        Path control = workspace.resolve(".phasegrid");
        Path checkpointFile = control.resolve("checkpoint");
        try {
            Files.createDirectories(control.resolve("plans"));
            Files.write(checkpointFile, task.checkpoint());
        } catch (IOException e) {
            return PhaseOutcome.failed(0, "cannot prepare the workspace " + workspace + ": " + e);
        }
        boolean checkpointed = !task.plans().isEmpty();
        List<PhaseTask.Plan> plans = checkpointed ? task.plans()
                : List.of(new PhaseTask.Plan(task.phaseKey(), "",
                        ("# " + task.phaseName() + "\n").getBytes(StandardCharsets.UTF_8), false));
        long used = 0;
        for (int i = 0; i < plans.size(); i++) {
            PhaseTask.Plan plan = plans.get(i);
            if (plan.completed()) {
                continue;
            }
            if (listener.cancelled()) {
                return PhaseOutcome.abandoned(used);
            }
            Path planFile = checkedOutPlan(task, plan, workspace);
            if (planFile == null) {
                planFile = control.resolve("plans").resolve(fileName(plan.id()));
                try {
                    Files.write(planFile, plan.content());
                } catch (IOException e) {
                    return PhaseOutcome.failed(used, "plan " + plan.id() + ": cannot write " + planFile + ": " + e);
                }
            }
            Map<String, String> values = new LinkedHashMap<>();
            values.put("plan_file", planFile.toString());
            values.put("plan_id", plan.id());
            values.put("phase", task.phaseKey());
            values.put("phase_name", task.phaseName());
            values.put("run", task.runId());
            values.put("attempt", Integer.toString(task.attempt()));
            values.put("workspace", workspace.toString());
            values.put("checkpoint_file", checkpointFile.toString());
            values.put("repo", task.git() == null ? "" : task.git().repoUrl());
            values.put("start_commit", task.git() == null ? "" : task.git().startCommit());

            PlanResult result = runPlan(task, plan, values, workspace, listener);
            long planTokens;
            switch (result.end()) {
                case EXITED -> {
                    planTokens = result.tokens().orElse(task.estimateShare(i));
                    if (result.exitCode() != 0) {
                        return PhaseOutcome.failed(used + planTokens, "plan " + plan.id()
                                + ": command exited with " + result.exitCode() + tail(result.stderr()));
                    }
                }
                case TIMED_OUT -> {
                    planTokens = result.tokens().orElse(task.estimateShare(i));
                    return PhaseOutcome.failed(used + planTokens, "plan " + plan.id() + ": timed out after "
                            + options.planTimeout().toMillis() + " ms" + tail(result.stderr()));
                }
                case CANCELLED -> {
                    return PhaseOutcome.abandoned(used + result.tokens().orElse(0));
                }
                case NOT_STARTED -> {
                    return PhaseOutcome.failed(used, "plan " + plan.id() + ": cannot start "
                            + options.command().argv().get(0) + ": " + result.stderr());
                }
                default -> throw new IllegalStateException(result.end().toString());
            }
            used += planTokens;
            if (checkpointed) {
                byte[] blob;
                try {
                    if (Files.size(checkpointFile) > MAX_CHECKPOINT_BYTES) {
                        return PhaseOutcome.failed(used, "plan " + plan.id() + ": the checkpoint file is larger than "
                                + MAX_CHECKPOINT_BYTES + " bytes");
                    }
                    blob = Files.readAllBytes(checkpointFile);
                } catch (IOException e) {
                    blob = new byte[0];
                }
                listener.planCompleted(plan.id(), blob, used);
            }
        }
        return PhaseOutcome.succeeded(used);
    }

    private enum End { EXITED, TIMED_OUT, CANCELLED, NOT_STARTED }

    /** How one plan's command ended; {@code stderr} is the error text when it did not start. */
    private record PlanResult(End end, int exitCode, OptionalLong tokens, String stderr) {
    }

    private PlanResult runPlan(PhaseTask task, PhaseTask.Plan plan, Map<String, String> values, Path workspace,
            ExecutionListener listener) throws InterruptedException {
        List<String> argv = options.command().expand(values);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workspace.toFile());
        Map<String, String> env = builder.environment();
        if (task.git() != null) {
            stripCredentials(env);
        }
        env.putAll(options.environment());
        env.put(ENV_PLAN_FILE, values.get("plan_file"));
        env.put(ENV_PLAN_ID, values.get("plan_id"));
        env.put(ENV_PHASE, values.get("phase"));
        env.put(ENV_PHASE_NAME, values.get("phase_name"));
        env.put(ENV_RUN, values.get("run"));
        env.put(ENV_ATTEMPT, values.get("attempt"));
        env.put(ENV_WORKSPACE, values.get("workspace"));
        env.put(ENV_CHECKPOINT_FILE, values.get("checkpoint_file"));

        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            return new PlanResult(End.NOT_STARTED, -1, OptionalLong.empty(), e.getMessage());
        }
        log.debug("run {} phase {} plan {}: started pid {}: {}", task.runId(), task.phaseKey(), plan.id(),
                process.pid(), argv);
        Set<ProcessHandle> seen = new LinkedHashSet<>();
        boolean settled = false;
        try {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // the command does not read its input: fine
            }
            String name = "phasegrid-shell-" + process.pid();
            OutputTail out = OutputTail.start(process.getInputStream(), options.stdoutLimitBytes(), name + "-out");
            OutputTail err = OutputTail.start(process.getErrorStream(), options.stderrLimitBytes(), name + "-err");
            Duration timeout = options.planTimeout();
            long deadline = System.nanoTime() + timeout.toNanos();
            End end = End.EXITED;
            while (!process.waitFor(PhaseExecutor.CANCEL_POLL_MS, TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(seen::add);
                if (listener.cancelled()) {
                    end = End.CANCELLED;
                } else if (!timeout.isZero() && System.nanoTime() - deadline >= 0) {
                    end = End.TIMED_OUT;
                }
                if (end != End.EXITED) {
                    log.info("run {} phase {} plan {}: {}, destroying pid {} and its descendants", task.runId(),
                            task.phaseKey(), plan.id(), end == End.CANCELLED ? "cancelled" : "timed out",
                            process.pid());
                    ProcessTree.destroy(process.toHandle(), seen, options.killGrace());
                    break;
                }
            }
            // Strays: descendants that outlived the command (they would also hold its output pipes open).
            ProcessTree.destroyAlive(seen, options.killGrace());
            settled = true;
            out.await(DRAIN_WAIT_MS);
            err.await(DRAIN_WAIT_MS);
            int exitCode = end == End.EXITED ? process.exitValue() : -1;
            log.debug("run {} phase {} plan {}: pid {} ended {} (exit {})", task.runId(), task.phaseKey(),
                    plan.id(), process.pid(), end, exitCode);
            return new PlanResult(end, exitCode, TokenUsageParser.parse(out.text()), err.text());
        } finally {
            if (!settled || process.isAlive()) {
                // Interrupted (or an unexpected error): nothing we started may outlive execute().
                ProcessTree.destroy(process.toHandle(), seen, options.killGrace());
            }
        }
    }

    /** Variables that would let an agent push (or reach PhaseGrid) with the worker's credentials. */
    private static final Set<String> CREDENTIAL_VARIABLES = Set.of("GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS",
            "SSH_ASKPASS", "SSH_AUTH_SOCK", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT");

    /**
     * Removes the worker's git credentials and PhaseGrid's own variables from an agent's environment: PhaseGrid
     * pushes a git lease's work, the agent never does.
     */
    public static void stripCredentials(Map<String, String> env) {
        env.keySet().removeIf(name -> CREDENTIAL_VARIABLES.contains(name) || name.startsWith("PHASEGRID_")
                || name.startsWith("GIT_CONFIG_KEY_") || name.startsWith("GIT_CONFIG_VALUE_"));
    }

    /**
     * For a git lease, the plan's own PLAN file in the worktree (so the agent writes its SUMMARY next to it); null
     * for a plain lease, a plan without a path, a path leaving the worktree or a file not checked out.
     */
    private static Path checkedOutPlan(PhaseTask task, PhaseTask.Plan plan, Path workspace) {
        if (task.git() == null || plan.path().isEmpty()) {
            return null;
        }
        Path file = workspace.resolve(plan.path()).normalize();
        return file.startsWith(workspace) && Files.isRegularFile(file) ? file : null;
    }

    /** A file name for a plan id that stays inside the plans directory, whatever the id contains. */
    static String fileName(String planId) {
        StringBuilder name = new StringBuilder(planId.length() + 8);
        for (int i = 0; i < planId.length(); i++) {
            char c = planId.charAt(i);
            boolean safe = c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.');
            name.append(safe ? c : '_');
        }
        String base = name.toString();
        if (base.startsWith(".")) {
            base = "_" + base.substring(1);
        }
        return base + "-PLAN.md";
    }

    /** ": " and the last lines of standard error, or nothing when it is blank. */
    static String tail(String stderr) {
        String text = stderr.strip();
        if (text.isEmpty()) {
            return "";
        }
        String[] lines = text.split("\r?\n");
        int from = Math.max(0, lines.length - ERROR_TAIL_LINES);
        String joined = String.join("\n", List.of(lines).subList(from, lines.length));
        if (joined.length() > ERROR_TAIL_CHARS) {
            joined = "..." + joined.substring(joined.length() - ERROR_TAIL_CHARS);
        }
        return ": " + joined;
    }
}
