package io.phasegrid.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseGit;
import io.phasegrid.proto.v1.LeasedPlan;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.worker.executor.CommandTemplate;
import io.phasegrid.worker.executor.ShellExecutor;
import io.phasegrid.worker.executor.ShellOptions;
import io.phasegrid.worker.git.Git;
import io.phasegrid.worker.git.GitOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A git lease through the whole agent: worktree, plan, pushed checkpoint, result reported, then published. */
@Timeout(60)
class GitLeaseAgentTest {

    private static final String PLAN = ".planning/phases/07-auth/07-01-PLAN.md";
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ScriptedCoordinator coordinator;
    private WorkerAgent agent;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.drain(Duration.ZERO);
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }

    private String origin(Path bare) throws Exception {
        Path seed = Files.createDirectories(dir.resolve("seed"));
        Files.createDirectories(bare);
        Git git = Git.cli();
        git.in(bare).run("init", "-q", "--bare");
        git.in(seed).run("init", "-q");
        Files.createDirectories(seed.resolve(PLAN).getParent());
        Files.writeString(seed.resolve(PLAN), "add auth\n");
        git.in(seed).run("add", "-A");
        git.in(seed).run("commit", "-q", "-m", "plan");
        git.in(seed).run("push", "-q", bare.toString(), "HEAD:refs/heads/main");
        return git.in(seed).run("rev-parse", "HEAD");
    }

    @Test
    void aGitLeaseRunsInAWorktreeCheckpointsItsPushedCommitAndPublishesTheAcceptedResult() throws Exception {
        Path bare = dir.resolve("origin.git");
        String base = origin(bare);
        String url = "file://" + bare;
        ShellExecutor shell = new ShellExecutor(ShellOptions.builder(CommandTemplate.of("/bin/sh", "-c",
                "echo auth > auth.txt && echo done > \"${0%-PLAN.md}-SUMMARY.md\" && git add -A"
                        + " && git -c user.name=A -c user.email=a@h commit -q -m 'feat(07-01): auth'",
                "{plan_file}")).build());
        coordinator = ScriptedCoordinator.start(1);
        coordinator.offer(Lease.newBuilder().setRunId("run-1").setPhaseKey("07").setPhaseName("Auth").setEpoch(3)
                .setAttempt(1).setEstimatedTokens(10)
                .addPlans(LeasedPlan.newBuilder().setId("07-01").setPath(PLAN)
                        .setContent(ByteString.copyFrom("add auth\n", StandardCharsets.UTF_8)))
                .setGit(LeaseGit.newBuilder().setRepoUrl(url).setBaseCommit(base)
                        .setWork(io.phasegrid.proto.v1.GitWork.GIT_WORK_PHASE)
                        .setCheckpointRef("refs/phasegrid/run-1/07/e3")
                        .setResultRef("refs/heads/phasegrid/run-1/07"))
                .build());
        agent = new WorkerAgent(WorkerOptions.builder().name("git").slots(1)
                .coordinators(coordinator.addresses())
                .pollWait(Duration.ofMillis(200))
                .rpcTimeout(Duration.ofSeconds(5))
                .workspaceRoot(dir.resolve("workspaces"))
                .git(GitOptions.none().allowing(List.of(url)))
                .build(), shell).start();

        await().atMost(LONG).until(() -> !coordinator.completionsOf("07").isEmpty());
        CompletePhaseRequest done = coordinator.completionsOf("07").get(0);

        assertThat(done.getOutcome()).as(done.getError()).isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        String result = done.getResultCommit();
        assertThat(coordinator.checkpointsOf("07")).singleElement()
                .satisfies(c -> assertThat(c.getCommit()).isEqualTo(result));
        Git origin = Git.cli().in(bare);
        assertThat(origin.run("rev-parse", "refs/phasegrid/run-1/07/e3")).isEqualTo(result);
        assertThat(origin.run("show", result + ":.planning/phases/07-auth/07-01-SUMMARY.md")).isEqualTo("done");
        await().atMost(LONG).until(() -> origin.exec(null, "rev-parse", "-q", "--verify",
                "refs/heads/phasegrid/run-1/07").stdout().equals(result));
        assertThat(dir.resolve("workspaces/run-1/07/e3")).doesNotExist();
    }
}
