package io.phasegrid.worker.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shell executor against real {@code /bin/sh} processes. */
@Timeout(120)
class ShellExecutorTest {

    private static final Duration HANG_GUARD = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private Path workspace;

    @BeforeEach
    void setUp() throws IOException {
        workspace = tmp.resolve("workspace");
        Files.createDirectories(tmp.resolve("scripts"));
    }

    /** A /bin/sh script with this body, and the template that runs it with these arguments. */
    private CommandTemplate script(String body, String... args) throws IOException {
        Path file = Files.createTempFile(tmp.resolve("scripts"), "cmd", ".sh");
        Files.writeString(file, body);
        List<String> argv = new ArrayList<>(List.of("/bin/sh", file.toString()));
        argv.addAll(List.of(args));
        return CommandTemplate.of(argv);
    }

    private static ShellExecutor shell(CommandTemplate command) {
        return new ShellExecutor(ShellOptions.builder(command).killGrace(Duration.ofSeconds(1)).build());
    }

    private String read(String name) throws IOException {
        return Files.readString(workspace.resolve(name));
    }

    private long pid(String name) throws IOException {
        return Long.parseLong(read(name).strip());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void substitutedValuesArriveAsOneLiteralArgvElementEachWhateverTheyContain() throws Exception {
        CommandTemplate command = script("for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done > argv.txt\n",
                "{phase}", "{phase_name}", "--plan={plan_file}", "{plan_id}", "{run}", "{attempt}", "{workspace}",
                "{checkpoint_file}");
        PhaseTask task = new PhaseTask("run 1", "; rm -rf /", "$(touch pwned) `touch pwned` \"q\" 'x' * > out", 3,
                7, 100, List.of(Tasks.plan("07-01")), new byte[0], workspace);

        PhaseOutcome outcome = shell(command).execute(task, new RecordingListener());

        assertThat(outcome.status()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        Path ws = workspace.toAbsolutePath();
        assertThat(read("argv.txt").lines()).containsExactly(
                "[; rm -rf /]",
                "[$(touch pwned) `touch pwned` \"q\" 'x' * > out]",
                "[--plan=" + ws.resolve(".phasegrid/plans/07-01-PLAN.md") + "]",
                "[07-01]",
                "[run 1]",
                "[3]",
                "[" + ws + "]",
                "[" + ws.resolve(".phasegrid/checkpoint") + "]");
        assertThat(workspace.resolve("pwned")).doesNotExist();
        assertThat(workspace.resolve("out")).doesNotExist();
    }

    @Test
    void theSameValuesReachTheCommandAsEnvironmentVariablesAndItRunsInTheWorkspace() throws Exception {
        CommandTemplate command = script("env | grep '^PHASEGRID_' | sort > env.txt\npwd > pwd.txt\n"
                + "cat \"$PHASEGRID_PLAN_FILE\" > plan-copy.md\n");
        PhaseTask task = new PhaseTask("run-1", "07", "Auth; rm -rf /", 2, 7, 100, List.of(Tasks.plan("07-01")),
                new byte[0], workspace);

        shell(command).execute(task, new RecordingListener());

        Path ws = workspace.toAbsolutePath();
        assertThat(read("env.txt").lines()).containsExactly(
                "PHASEGRID_ATTEMPT=2",
                "PHASEGRID_CHECKPOINT_FILE=" + ws.resolve(".phasegrid/checkpoint"),
                "PHASEGRID_PHASE=07",
                "PHASEGRID_PHASE_NAME=Auth; rm -rf /",
                "PHASEGRID_PLAN_FILE=" + ws.resolve(".phasegrid/plans/07-01-PLAN.md"),
                "PHASEGRID_PLAN_ID=07-01",
                "PHASEGRID_RUN=run-1",
                "PHASEGRID_WORKSPACE=" + ws);
        assertThat(Path.of(read("pwd.txt").strip()).toRealPath()).isEqualTo(ws.toRealPath());
        assertThat(read("plan-copy.md")).isEqualTo("# plan 07-01\n");
    }

    @Test
    void passesTheOperatorsExtraEnvironment() throws Exception {
        CommandTemplate command = script("printf '%s' \"$MODEL\" > model.txt\n");
        ShellExecutor executor = new ShellExecutor(ShellOptions.builder(command)
                .environment(Map.of("MODEL", "opus")).build());

        executor.execute(Tasks.task(workspace, 10, "07-01"), new RecordingListener());

        assertThat(read("model.txt")).isEqualTo("opus");
    }

    @Test
    void runsEachPlanInOrderAndCheckpointsAfterEach() throws Exception {
        CommandTemplate command = script("echo \"$PHASEGRID_PLAN_ID\" >> ran.txt\n");
        RecordingListener listener = new RecordingListener();

        PhaseOutcome outcome = shell(command).execute(Tasks.task(workspace, 10, "07-01", "07-02", "07-03"),
                listener);

        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(10));
        assertThat(read("ran.txt").lines()).containsExactly("07-01", "07-02", "07-03");
        assertThat(listener.planIds()).containsExactly("07-01", "07-02", "07-03");
    }

    @Test
    void resumesFromTheCheckpointSkippingCompletedPlansAndHandingTheCommandItsState() throws Exception {
        CommandTemplate usesFile = script("echo \"$PHASEGRID_PLAN_ID\" >> ran.txt\n"
                + "cat \"$1\" > seen-state.txt\nprintf 'after %s' \"$PHASEGRID_PLAN_ID\" > \"$1\"\n",
                "{checkpoint_file}");
        PhaseTask first = Tasks.task(workspace, 9, "07-01", "07-02", "07-03");
        PhaseTask resumed = new PhaseTask("run-1", "07", "Auth", 2, 2, 9,
                Tasks.withPlansCompleted(first, "07-01").plans(), "after 07-01".getBytes(StandardCharsets.UTF_8),
                workspace);
        RecordingListener listener = new RecordingListener();

        PhaseOutcome outcome = shell(usesFile).execute(resumed, listener);

        assertThat(read("ran.txt").lines()).containsExactly("07-02", "07-03");
        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(6));
        assertThat(listener.planIds()).containsExactly("07-02", "07-03");
        assertThat(new String(listener.checkpoints.get(0).blob(), StandardCharsets.UTF_8)).isEqualTo("after 07-02");
        assertThat(read("seen-state.txt")).isEqualTo("after 07-02");
    }

    @Test
    void aNonZeroExitFailsThePhaseWithTheTailOfStandardErrorAndStopsThere() throws Exception {
        CommandTemplate command = script("echo \"$PHASEGRID_PLAN_ID\" >> ran.txt\n"
                + "i=0; while [ $i -lt 50 ]; do echo \"noise $i\" >&2; i=$((i+1)); done\n"
                + "echo 'error: the model refused' >&2\nexit 3\n");
        RecordingListener listener = new RecordingListener();

        PhaseOutcome outcome = shell(command).execute(Tasks.task(workspace, 10, "07-01", "07-02"), listener);

        assertThat(outcome.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(outcome.error()).startsWith("plan 07-01: command exited with 3: ")
                .endsWith("error: the model refused")
                .contains("noise 49")
                .doesNotContain("noise 0\n");
        assertThat(outcome.tokensUsed()).as("the failed plan's share of the estimate").isEqualTo(5);
        assertThat(read("ran.txt").lines()).containsExactly("07-01");
        assertThat(listener.checkpoints).isEmpty();
    }

    @Test
    void readsTheTokensFromAJsonLineOnStandardOutput() throws Exception {
        CommandTemplate command = script("echo 'thinking...'\necho '{\"tokens\": 42}'\necho 'bye'\n");
        RecordingListener listener = new RecordingListener();

        PhaseOutcome outcome = shell(command).execute(Tasks.task(workspace, 1_000_000, "07-01", "07-02"), listener);

        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(84));
        assertThat(listener.tokens()).containsExactly(42L, 84L);
    }

    @Test
    void readsTheTokensFromAnAgentCliUsageBlock() throws Exception {
        CommandTemplate command = script("printf '%s\\n' '{\"type\":\"result\",\"result\":\"done\",\"usage\":"
                + "{\"input_tokens\":1000,\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":90000,"
                + "\"output_tokens\":300}}'\n");

        PhaseOutcome outcome = shell(command).execute(Tasks.task(workspace, 1_000_000, "07-01"),
                new RecordingListener());

        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(1500));
    }

    @Test
    void fallsBackToThePlansShareOfTheEstimateWhenTheOutputReportsNoTokens() throws Exception {
        CommandTemplate command = script("echo 'done, no usage here'\n");
        RecordingListener listener = new RecordingListener();

        PhaseOutcome outcome = shell(command).execute(Tasks.task(workspace, 1001, "07-01", "07-02"), listener);

        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(1001));
        assertThat(listener.tokens()).containsExactly(501L, 1001L);
    }

    @Test
    void aPhaseWithoutPlansRunsTheCommandOnceWithThePhaseAsItsPlanAndIsNotCheckpointed() throws Exception {
        CommandTemplate command = script("echo \"$PHASEGRID_PLAN_ID\" >> ran.txt\ncat \"$PHASEGRID_PLAN_FILE\" >> ran.txt\n");
        RecordingListener listener = new RecordingListener();

        PhaseOutcome outcome = shell(command).execute(Tasks.task(workspace, 77), listener);

        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(77));
        assertThat(read("ran.txt").lines()).containsExactly("07", "# Authentication");
        assertThat(listener.checkpoints).isEmpty();
    }

    @Test
    void aHostilePlanIdCannotWriteOutsideTheWorkspace() throws Exception {
        CommandTemplate command = script("printf '%s' \"$PHASEGRID_PLAN_FILE\" > planfile.txt\n");
        PhaseTask task = new PhaseTask("r", "07", "n", 1, 1, 1,
                List.of(new PhaseTask.Plan("../../../escape", "", new byte[] {'x'}, false)), new byte[0], workspace);

        shell(command).execute(task, new RecordingListener());

        Path planFile = Path.of(read("planfile.txt"));
        assertThat(planFile.getParent()).isEqualTo(workspace.toAbsolutePath().resolve(".phasegrid/plans"));
        assertThat(planFile).hasContent("x");
    }

    @Test
    void aCommandThatCannotStartFailsThePhase() throws Exception {
        ShellExecutor executor = shell(CommandTemplate.of(tmp.resolve("no-such-program").toString()));

        PhaseOutcome outcome = executor.execute(Tasks.task(workspace, 10, "07-01"), new RecordingListener());

        assertThat(outcome.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(outcome.error()).startsWith("plan 07-01: cannot start");
    }

    @Test
    void drainsLargeOutputWithoutDeadlockKeepingOnlyItsTail() throws Exception {
        CommandTemplate command = script("head -c 3000000 /dev/zero | tr '\\0' 'e' >&2\n"
                + "head -c 3000000 /dev/zero | tr '\\0' 'o'\necho\necho '{\"tokens\": 7}'\n");

        PhaseOutcome outcome = shell(command).execute(Tasks.task(workspace, 10, "07-01"), new RecordingListener());

        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(7));
    }

    @Test
    void aTimeoutDestroysTheCommandAndItsChildrenAndFailsThePhase() throws Exception {
        CommandTemplate command = script("echo $$ > shell.pid\nsleep 60 &\necho $! > child.pid\nwait\n");
        ShellExecutor executor = new ShellExecutor(ShellOptions.builder(command)
                .planTimeout(Duration.ofMillis(500)).killGrace(Duration.ofSeconds(1)).build());

        PhaseOutcome outcome = executor.execute(Tasks.task(workspace, 10, "07-01"), new RecordingListener());

        assertThat(outcome.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(outcome.error()).startsWith("plan 07-01: timed out after 500 ms");
        long shell = pid("shell.pid");
        long child = pid("child.pid");
        await().atMost(HANG_GUARD).untilAsserted(() -> {
            assertThat(alive(shell)).as("the command's process %d is alive", shell).isFalse();
            assertThat(alive(child)).as("the command's child %d is alive", child).isFalse();
        });
    }

    @Test
    void anInterruptStopsPromptlyDestroysTheProcessTreeAndThrowsInterruptedException() throws Exception {
        CommandTemplate command = script("echo $$ > shell.pid\nsleep 60 &\necho $! > child.pid\nwait\n");
        AtomicReference<Object> result = new AtomicReference<>();
        Thread slot = new Thread(() -> {
            try {
                result.set(shell(command).execute(Tasks.task(workspace, 10, "07-01"), new RecordingListener()));
            } catch (InterruptedException | RuntimeException e) {
                result.set(e);
            }
        });
        slot.start();
        await().atMost(HANG_GUARD).until(() -> Files.exists(workspace.resolve("child.pid"))
                && !read("child.pid").isBlank());
        long shell = pid("shell.pid");
        long child = pid("child.pid");

        slot.interrupt();
        slot.join(HANG_GUARD.toMillis());

        assertThat(slot.isAlive()).as("the executing thread is still running").isFalse();
        assertThat(result.get()).isInstanceOf(InterruptedException.class);
        assertThat(alive(shell)).as("the command's process %d is alive", shell).isFalse();
        await().atMost(HANG_GUARD).untilAsserted(
                () -> assertThat(alive(child)).as("the command's child %d is alive", child).isFalse());
    }

    @Test
    void aCancelledPhaseIsAbandonedAndItsProcessTreeDestroyed() throws Exception {
        CommandTemplate command = script("echo $$ > shell.pid\nsleep 60 &\necho $! > child.pid\nwait\n");
        RecordingListener listener = new RecordingListener();
        Thread canceller = new Thread(() -> {
            await().atMost(HANG_GUARD).until(() -> Files.exists(workspace.resolve("child.pid"))
                    && !read("child.pid").isBlank());
            listener.cancel.set(true);
        });
        canceller.start();

        PhaseOutcome outcome = shell(command).execute(Tasks.task(workspace, 10, "07-01", "07-02"), listener);
        canceller.join();

        assertThat(outcome).isEqualTo(PhaseOutcome.abandoned(0));
        long shell = pid("shell.pid");
        long child = pid("child.pid");
        await().atMost(HANG_GUARD).untilAsserted(() -> {
            assertThat(alive(shell)).isFalse();
            assertThat(alive(child)).isFalse();
        });
    }

    @Test
    void childrenLeftRunningByACommandThatExitedAreDestroyed() throws Exception {
        // The command exits 0 but leaves a background child that still holds its output pipe.
        CommandTemplate command = script("sleep 60 &\necho $! > child.pid\nsleep 1\necho '{\"tokens\": 3}'\n");

        PhaseOutcome outcome = shell(command).execute(Tasks.task(workspace, 10, "07-01"), new RecordingListener());

        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(3));
        long child = pid("child.pid");
        await().atMost(HANG_GUARD).untilAsserted(() -> assertThat(alive(child)).isFalse());
    }

    @Test
    void aGitTasksPlanFileIsItsCheckedOutPlanAndRepoAndStartCommitAreSubstituted() throws Exception {
        Path plan = workspace.resolve(".planning/phases/07-auth/07-01-PLAN.md");
        Files.createDirectories(plan.getParent());
        Files.writeString(plan, "checked out\n");
        GitWork git = new GitWork(false, "file:///srv/app.git", "a".repeat(40), List.of(), "", "",
                "refs/phasegrid/r/07/e1", "refs/heads/phasegrid/r/07", false, "main", "b".repeat(40));
        PhaseTask task = new PhaseTask("r", "07", "Auth", 1, 1, 5, List.of(new PhaseTask.Plan("07-01",
                ".planning/phases/07-auth/07-01-PLAN.md", "lease copy\n".getBytes(StandardCharsets.UTF_8), false)),
                new byte[0], workspace, git);
        ShellExecutor shell = new ShellExecutor(ShellOptions.builder(CommandTemplate.of("/bin/sh", "-c",
                "echo \"$0 $1 $2 $(cat \"$0\")\" > seen.txt", "{plan_file}", "{repo}", "{start_commit}")).build());

        assertThat(shell.execute(task, ExecutionListener.NONE).status()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);

        assertThat(Files.readString(workspace.resolve("seen.txt")).strip()).isEqualTo(
                plan.toAbsolutePath() + " file:///srv/app.git " + "b".repeat(40) + " checked out");
    }

    @Test
    void anAgentsEnvironmentLosesTheWorkersGitCredentialsAndPhasegridsOwnVariables() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("GIT_SSH_COMMAND", "ssh -i key", "GIT_ASKPASS", "x",
                "SSH_AUTH_SOCK", "/tmp/agent", "PHASEGRID_COORDINATOR", "h:1", "GIT_CONFIG_KEY_0", "k",
                "PATH", "/bin", "HOME", "/home/u"));

        ShellExecutor.stripCredentials(env);

        assertThat(env).containsOnlyKeys("PATH", "HOME");
    }
}
