package io.phasegrid.worker.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.phasegrid.worker.executor.CommandTemplate;
import io.phasegrid.worker.executor.ExecutionListener;
import io.phasegrid.worker.executor.GitWork;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import io.phasegrid.worker.executor.ShellExecutor;
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
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class GitWorkspaceExecutorTest {

    private static final String RUN = "run-1";

    @TempDir
    Path dir;

    private Origin origin;
    private String base;
    private Path log;
    private ShellExecutor agent;
    private Path workspaces;
    private Path failMarker;

    private static final PhaseTask.Plan ALPHA_1 = plan("01-01", "01-alpha", "write alpha.txt alpha\n");
    private static final PhaseTask.Plan BETA_1 = plan("02-01", "02-beta", "write b.txt b\nno-summary\n");
    private static final PhaseTask.Plan GAMMA_1 = plan("03-01", "03-gamma", "write gamma.txt gamma\n");
    private static final PhaseTask.Plan SLOW_1 = plan("05-01", "05-slow", "write s.txt s\nsleep 60\n");
    private static final PhaseTask.Plan MESSY_1 =
            plan("04-01", "04-messy", "write a.txt a\ndirty leftover.txt\npush\n");

    /** Fails while the marker file exists. */
    private PhaseTask.Plan alpha2() {
        return plan("01-02", "01-alpha", "write alpha2.txt second\nfail-if " + failMarker + "\n");
    }

    @BeforeEach
    void setUp() throws Exception {
        origin = Origin.create(dir);
        failMarker = dir.resolve("fail-marker");
        for (PhaseTask.Plan plan : List.of(ALPHA_1, alpha2(), BETA_1, GAMMA_1, MESSY_1, SLOW_1)) {
            origin.write(plan.path(), new String(plan.content(), StandardCharsets.UTF_8));
        }
        base = origin.commit("plan the project", "main");
        log = dir.resolve("agent.log");
        agent = Agent.install(dir, log);
        workspaces = dir.resolve("workspaces");
    }

    /** Records the checkpoints the agent would send. */
    static final class Checkpoints implements ExecutionListener {
        final List<String> plans = new ArrayList<>();
        final List<String> commits = new ArrayList<>();

        @Override
        public void planCompleted(String planId, byte[] blob, long tokensSoFar) {
            planCompleted(planId, blob, tokensSoFar, "");
        }

        @Override
        public synchronized void planCompleted(String planId, byte[] blob, long tokensSoFar, String commit) {
            plans.add(planId);
            commits.add(commit);
        }
    }

    private GitWorkspaceExecutor executor(GitOptions options) {
        return new GitWorkspaceExecutor(agent, options, workspaces);
    }

    private GitWorkspaceExecutor executor() {
        return executor(GitOptions.none().allowing(List.of(origin.url())));
    }

    private static PhaseTask.Plan plan(String id, String phaseDir, String body) {
        return new PhaseTask.Plan(id, ".planning/phases/" + phaseDir + "/" + id + "-PLAN.md",
                body.getBytes(StandardCharsets.UTF_8), false);
    }

    private PhaseTask phase(String key, long epoch, List<PhaseTask.Plan> plans, List<GitWork.Input> inputs,
            String resume) throws Exception {
        GitWork git = new GitWork(false, origin.url(), base, inputs, resume, "",
                "refs/phasegrid/" + RUN + "/" + key + "/e" + epoch, "refs/heads/phasegrid/" + RUN + "/" + key,
                false, "main", "");
        Path workspace = workspaces.resolve(RUN).resolve(key).resolve("e" + epoch);
        Files.createDirectories(workspace);
        return new PhaseTask(RUN, key, "Alpha", (int) epoch, epoch, 100, plans, new byte[0], workspace, git);
    }

    private PhaseTask alpha(long epoch) throws Exception {
        return phase("01", epoch, List.of(ALPHA_1), List.of(), "");
    }

    private String agentLog() throws Exception {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void aPhaseRunsItsPlanInAWorktreeAtTheBaseAndItsResultIsPushedToTheCheckpointRefThenTheResultRef()
            throws Exception {
        Checkpoints checkpoints = new Checkpoints();
        PhaseTask task = alpha(1);

        PhaseOutcome outcome = executor().execute(task, checkpoints);

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        assertThat(outcome.tokensUsed()).isEqualTo(10);
        String result = outcome.resultCommit();
        assertThat(result).matches("[0-9a-f]{40}");
        assertThat(agentLog()).contains("start 01-01 at " + base);
        assertThat(origin.files(result)).contains("alpha.txt", ".planning/phases/01-alpha/01-01-SUMMARY.md");
        assertThat(origin.isAncestor(base, result)).isTrue();
        assertThat(checkpoints.plans).containsExactly("01-01");
        assertThat(checkpoints.commits).containsExactly(result);
        assertThat(origin.ref("refs/phasegrid/run-1/01/e1")).isEqualTo(result);
        assertThat(origin.ref("refs/heads/phasegrid/run-1/01")).as("not before it is accepted").isEmpty();

        outcome.onAccepted().run();

        assertThat(origin.ref("refs/heads/phasegrid/run-1/01")).isEqualTo(result);
        assertThat(task.workspace()).doesNotExist();
    }

    @Test
    void aPhaseWithTwoInputsStartsAtTheirNoFastForwardMerge() throws Exception {
        origin.write("left.txt", "left\n");
        String left = origin.commit("left", "left");
        origin.checkout(base);
        origin.write("right.txt", "right\n");
        String right = origin.commit("right", "right");
        PhaseTask task = phase("03", 1, List.of(GAMMA_1),
                List.of(new GitWork.Input("01", "Left", left), new GitWork.Input("02", "Right", right)), "");

        PhaseOutcome outcome = executor().execute(task, new Checkpoints());

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        String result = outcome.resultCommit();
        assertThat(origin.files(result)).contains("left.txt", "right.txt", "gamma.txt");
        assertThat(origin.isAncestor(left, result)).isTrue();
        assertThat(origin.isAncestor(right, result)).isTrue();
        assertThat(origin.subjects(result)).contains("phasegrid: merge phase 02 Right");
        String start = agentLog().lines().filter(l -> l.startsWith("start 03-01 at ")).findFirst().orElseThrow()
                .substring("start 03-01 at ".length());
        assertThat(origin.parents(start)).containsExactly(left, right);
    }

    @Test
    void conflictsInStateAndRoadmapAreResolvedByTakingOneSide() throws Exception {
        origin.write(".planning/STATE.md", "Status: left\n");
        origin.write(".planning/ROADMAP.md", "- [x] **Phase 1: Alpha**\n");
        String left = origin.commit("left state", "left");
        origin.checkout(base);
        origin.write(".planning/STATE.md", "Status: right\n");
        origin.write(".planning/ROADMAP.md", "- [x] **Phase 2: Beta**\n");
        String right = origin.commit("right state", "right");
        PhaseTask task = phase("03", 1, List.of(GAMMA_1),
                List.of(new GitWork.Input("01", "Left", left), new GitWork.Input("02", "Right", right)), "");

        PhaseOutcome outcome = executor().execute(task, new Checkpoints());

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        assertThat(origin.show(outcome.resultCommit(), ".planning/STATE.md")).isEqualTo("Status: left");
    }

    @Test
    void anyOtherConflictEndsTheLeaseConflictNamingThePathsWithoutRunningAPlanOrChargingTokens() throws Exception {
        origin.write("shared.txt", "left\n");
        origin.write("b/other.txt", "left\n");
        String left = origin.commit("left", "left");
        origin.checkout(base);
        origin.write("shared.txt", "right\n");
        origin.write("b/other.txt", "right\n");
        String right = origin.commit("right", "right");
        PhaseTask task = phase("03", 1, List.of(GAMMA_1),
                List.of(new GitWork.Input("01", "Left", left), new GitWork.Input("02", "Right", right)), "");

        PhaseOutcome outcome = executor().execute(task, new Checkpoints());

        assertThat(outcome.status()).isEqualTo(PhaseOutcome.Status.CONFLICT);
        assertThat(outcome.conflictPaths()).containsExactly("b/other.txt", "shared.txt");
        assertThat(outcome.error()).isEqualTo("conflict: b/other.txt, shared.txt");
        assertThat(outcome.tokensUsed()).isZero();
        assertThat(agentLog()).doesNotContain("start");
        assertThat(task.workspace()).doesNotExist();
    }

    @Test
    void anOperatorResolverThatResolvesTheConflictLetsThePhaseRun() throws Exception {
        origin.write("shared.txt", "left\n");
        String left = origin.commit("left", "left");
        origin.checkout(base);
        origin.write("shared.txt", "right\n");
        String right = origin.commit("right", "right");
        PhaseTask task = phase("03", 1, List.of(GAMMA_1),
                List.of(new GitWork.Input("01", "Left", left), new GitWork.Input("02", "Right", right)), "");
        GitOptions options = new GitOptions(List.of(origin.url()), Map.of(), null, Map.of(),
                CommandTemplate.of("/bin/sh", "-c",
                        "printf 'both\\n' > shared.txt && git add shared.txt"),
                null, null, GitOptions.DEFAULT_COMMAND_TIMEOUT);

        PhaseOutcome outcome = executor(options).execute(task, new Checkpoints());

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        assertThat(origin.show(outcome.resultCommit(), "shared.txt")).isEqualTo("both");
    }

    @Test
    void whatTheAgentLeftUncommittedIsCommittedWithAWarningNamingThePaths() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(PhasePlans.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            PhaseTask task = phase("04", 1, List.of(MESSY_1), List.of(), "");

            PhaseOutcome outcome = executor().execute(task, new Checkpoints());

            assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
            assertThat(origin.files(outcome.resultCommit())).contains("a.txt", "leftover.txt")
                    .noneMatch(f -> f.startsWith(".phasegrid"));
            assertThat(origin.subjects(outcome.resultCommit()))
                    .contains("chore(04-01): what the agent left uncommitted");
            assertThat(events.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("uncommitted").contains("leftover.txt"));
        } finally {
            logger.detachAppender(events);
        }
    }

    @Test
    void aPlanThatWritesNoSummaryFailsThePhaseWithoutACheckpointAndTheWorktreeIsRemoved() throws Exception {
        Checkpoints checkpoints = new Checkpoints();
        PhaseTask task = phase("02", 1, List.of(BETA_1), List.of(), "");

        PhaseOutcome outcome = executor().execute(task, checkpoints);

        assertThat(outcome.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(outcome.error()).isEqualTo(
                "plan 02-01 wrote no SUMMARY (.planning/phases/02-beta/02-01-SUMMARY.md)");
        assertThat(checkpoints.plans).isEmpty();
        assertThat(origin.ref("refs/phasegrid/run-1/02/e1")).isEmpty();
        assertThat(task.workspace()).doesNotExist();
        Path cache = workspaces.resolve(GitWorkspaceExecutor.CACHE_DIR).resolve(RepoCache.hash(origin.url()) + ".git");
        assertThat(Git.cli().in(cache).run("branch", "--list")).isEmpty();
        assertThat(Git.cli().in(cache).run("worktree", "list")).doesNotContain(task.workspace().toString());
    }

    @Test
    void eachEpochPushesItsOwnCheckpointRefAndAResumedLeaseOnAnotherWorkerStartsThereSkippingTheDonePlans() throws Exception {
        List<PhaseTask.Plan> plans = List.of(ALPHA_1, alpha2());
        Files.writeString(failMarker, "fail\n");
        Checkpoints first = new Checkpoints();

        PhaseOutcome failed = executor().execute(phase("01", 1, plans, List.of(), ""), first);

        assertThat(failed.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(first.plans).containsExactly("01-01");
        String checkpoint = first.commits.get(0);
        assertThat(origin.ref("refs/phasegrid/run-1/01/e1")).isEqualTo(checkpoint);
        assertThat(origin.files(checkpoint)).contains("alpha.txt").doesNotContain("alpha2.txt");

        List<PhaseTask.Plan> resumed = List.of(ALPHA_1.asCompleted(), alpha2());
        Files.delete(failMarker);
        Files.writeString(log, "");
        Checkpoints second = new Checkpoints();
        GitWorkspaceExecutor anotherWorker = new GitWorkspaceExecutor(agent,
                GitOptions.none().allowing(List.of(origin.url())), dir.resolve("another-worker"));
        PhaseOutcome outcome = anotherWorker.execute(phase("01", 2, resumed, List.of(), checkpoint), second);

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        assertThat(agentLog()).doesNotContain("start 01-01").contains("start 01-02 at " + checkpoint);
        assertThat(second.plans).containsExactly("01-02");
        assertThat(origin.ref("refs/phasegrid/run-1/01/e2")).isEqualTo(outcome.resultCommit());
        assertThat(origin.ref("refs/phasegrid/run-1/01/e1")).as("epoch 1's ref untouched").isEqualTo(checkpoint);
        assertThat(origin.subjects(outcome.resultCommit()).stream()
                .filter(s -> s.equals("feat(01-01): work of plan 01-01"))).hasSize(1);
    }

    @Test
    void theAgentCannotPushAndSeesNoneOfTheWorkersCredentials() throws Exception {
        Path key = dir.resolve("id_test");
        Files.writeString(key, "not a real key\n");
        Path token = dir.resolve("token");
        Files.writeString(token, "secret-token\n");
        GitOptions options = new GitOptions(List.of(origin.url()), Map.of("file://", key), null,
                Map.of("file://", token), null, null, null, GitOptions.DEFAULT_COMMAND_TIMEOUT);
        PhaseTask task = phase("04", 1, List.of(MESSY_1), List.of(), "");

        PhaseOutcome outcome = executor(options).execute(task, new Checkpoints());

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        assertThat(agentLog()).contains("push-refused 04-01").doesNotContain("pushed").doesNotContain("env ");
        assertThat(origin.ref("refs/heads/agent-push")).isEmpty();
    }

    @Test
    void aRepositoryNoAllowedPrefixMatchesFailsTheLeaseNamingTheUrl() throws Exception {
        PhaseTask task = alpha(1);

        PhaseOutcome outcome = executor(GitOptions.none().allowing(List.of("ssh://git@example.com/")))
                .execute(task, new Checkpoints());

        assertThat(outcome.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(outcome.error()).contains(origin.url()).contains("not allowed").contains("--git-allow");
        assertThat(agentLog()).isEmpty();
        assertThat(task.workspace()).doesNotExist();
    }

    @Test
    void anInterruptedPhaseStopsItsAgentAndStillRemovesItsWorktree() throws Exception {
        PhaseTask task = phase("05", 1, List.of(SLOW_1), List.of(), "");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread slot = new Thread(() -> {
            try {
                executor().execute(task, new Checkpoints());
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        slot.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> agentLog().contains("start 05-01"));

        slot.interrupt();
        slot.join(20_000);

        assertThat(slot.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(task.workspace()).doesNotExist();
        assertThat(agentLog()).doesNotContain("done 05-01");
    }

    @Test
    void aPlainLeaseGoesStraightToTheInnerExecutor() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("plain"));
        PhaseTask task = new PhaseTask(RUN, "01", "Alpha", 1, 1, 5,
                List.of(new PhaseTask.Plan("01-01", "", "write plain.txt x\nno-summary\n".getBytes(), false)),
                new byte[0], workspace);

        PhaseOutcome outcome = executor().execute(task, new Checkpoints());

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        assertThat(outcome.resultCommit()).isEmpty();
        assertThat(workspace.resolve("plain.txt")).exists();
        assertThat(workspaces.resolve(GitWorkspaceExecutor.CACHE_DIR)).doesNotExist();
    }
}
