package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: runs on real git repositories, served by {@code git daemon} on 127.0.0.1, executed by two worker
 * processes with separate workspaces and a stand-in agent that writes files, commits and writes a SUMMARY per plan.
 */
class GitWorkspacesIT {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ClusterPerClass CLUSTER = new ClusterPerClass("e2e-git", () -> dir);

    static GitDaemon daemon;
    static String agent;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = GitDaemon.start(dir.resolve("served"));
        agent = StandInAgent.install(dir);
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static Cluster cluster() {
        return CLUSTER.get();
    }

    @Test
    void aPhaseThatDependsOnTwoPhasesStartsAtTheirMergeAndTheResultHoldsAllThree() throws Exception {
        GitProject project = project("diamond", new GitRoadmap()
                .phase(1, "Alpha", List.of(), "write alpha.txt alpha")
                .phase(2, "Beta", List.of(), "write beta.txt beta")
                .phase(3, "Gamma", List.of(1, 2), "write gamma.txt gamma"));
        String url = project.publish(daemon, "diamond");
        String base = project.head();
        Path log = dir.resolve("diamond.log");
        worker("w1", log);
        worker("w2", log);

        String runId = submit(project, url);
        JsonNode status = waitFor(runId);

        assertThat(status.path("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode git = status.path("git");
        assertThat(git.path("repo").asText()).isEqualTo(url);
        assertThat(git.path("base").asText()).isEqualTo(base);
        assertThat(git.path("resultBranch").asText()).isEqualTo("phasegrid/" + runId + "/result");
        String result = git.path("resultCommit").asText();
        assertThat(result).matches("[0-9a-f]{40}");
        assertThat(GitProject.remoteRef(url, "refs/heads/phasegrid/" + runId + "/result")).isEqualTo(result);

        project.fetchAll(url);
        assertThat(project.files(result)).contains("alpha.txt", "beta.txt", "gamma.txt",
                ".planning/phases/01-alpha/01-01-SUMMARY.md", ".planning/phases/02-beta/02-01-SUMMARY.md",
                ".planning/phases/03-gamma/03-01-SUMMARY.md");
        Run run = run(runId);
        String gamma = phase(run, "03").getResultCommit();
        assertThat(project.files(gamma)).as("phase 3 started at the merge of 1 and 2")
                .contains("alpha.txt", "beta.txt", "gamma.txt");
        for (String key : List.of("01", "02")) {
            String input = phase(run, key).getResultCommit();
            project.git("merge-base", "--is-ancestor", input, gamma);
            assertThat(GitProject.remoteRef(url, "refs/heads/phasegrid/" + runId + "/" + key)).isEqualTo(input);
        }
        assertThat(project.show(result, ".planning/ROADMAP.md"))
                .contains("- [x] **Phase 1: Alpha**", "- [x] **Phase 2: Beta**", "- [x] **Phase 3: Gamma**");
        assertThat(project.subjects(result).stream().filter(s -> s.equals("feat(03-01): work of plan 03-01")))
                .hasSize(1);
    }

    @Test
    void conflictingEditsFailThePhaseWithConflictNamingThePathsWithoutRetryOrTokens() throws Exception {
        GitProject project = project("conflict", new GitRoadmap()
                .phase(1, "Left", List.of(), "write shared.txt left")
                .phase(2, "Right", List.of(), "write shared.txt right")
                .phase(3, "Join", List.of(1, 2), "write join.txt join"));
        String url = project.publish(daemon, "conflict");
        worker("w1", dir.resolve("conflict.log"));

        String runId = submit(project, url);
        JsonNode status = waitFor(runId);

        assertThat(status.path("state").asText()).isEqualTo("FAILED");
        RunPhase join = phase(run(runId), "03");
        assertThat(join.getState()).isEqualTo(PhaseState.PHASE_FAILED);
        assertThat(join.getReason()).startsWith("conflict").contains("shared.txt");
        assertThat(join.getConflictPathsList()).containsExactly("shared.txt");
        assertThat(join.getAttempts()).as("not retried").isEqualTo(1);
        assertThat(join.getTokens()).as("charged nothing").isZero();
        assertThat(Files.readString(dir.resolve("conflict.log"))).doesNotContain("start 03 ");
        assertThat(GitProject.remoteRef(url, "refs/heads/phasegrid/" + runId + "/result")).isEmpty();
        Cluster.Cli text = cluster().client("status", runId);
        assertThat(text.stdout()).contains("shared.txt", "--resolution");
    }

    @Test
    void aWorkerKilledAfterItsFirstPlanIsResumedAtThatCommitAndThePlanIsNotRedone() throws Exception {
        GitProject project = project("resume", new GitRoadmap()
                .phase(1, "Long", List.of(), "write one.txt one", "write two.txt two\nslow-on w1 120"));
        String url = project.publish(daemon, "resume");
        Path log = dir.resolve("resume.log");
        Cluster.Node w1 = worker("w1", log);

        String runId = submit(project, url);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log)
                && Files.readString(log).contains("start 01 01-02 w1"));
        // The first plan's checkpoint travels after its push and before the second plan starts; give it a moment.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                !GitProject.remoteRef(url, "refs/phasegrid/" + runId + "/01/e1").isEmpty());
        Thread.sleep(1_000);
        cluster().kill(w1);
        worker("w2", log);
        JsonNode status = waitFor(runId);

        assertThat(status.path("state").asText()).isEqualTo("SUCCEEDED");
        String result = status.path("git").path("resultCommit").asText();
        project.fetchAll(url);
        List<String> subjects = project.subjects(result);
        assertThat(subjects.stream().filter(s -> s.equals("feat(01-01): work of plan 01-01"))).hasSize(1);
        assertThat(subjects.stream().filter(s -> s.equals("docs(01-01): complete plan"))).hasSize(1);
        assertThat(Files.readString(log)).doesNotContain("start 01 01-01 w2").contains("done 01 01-02 w2");
        assertThat(project.files(result)).contains("one.txt", "two.txt");
    }

    @Test
    void aZombieFromAnOldEpochThatPushesAndReportsIsRefusedAndTheResultIsUnaffected() throws Exception {
        GitProject project = project("zombie", new GitRoadmap()
                .phase(1, "Solo", List.of(), "write solo.txt solo"));
        String url = project.publish(daemon, "zombie");
        String runId = submit(project, url);

        String zombieId = cluster().workers().register(RegisterWorkerRequest.newBuilder().setName("zombie")
                .setSlots(1).build()).getWorkerId();
        Lease lease = cluster().workers().pollLease(PollLeaseRequest.newBuilder().setWorkerId(zombieId)
                .setFreeSlots(1).setWaitMs(10_000).build()).getLeases(0);
        assertThat(lease.getGit().getCheckpointRef()).isEqualTo("refs/phasegrid/" + runId + "/01/e" + lease.getEpoch());
        // The zombie does its own work and pushes it to its epoch's ref and, as a hostile zombie might, the
        // phase's result branch; then it goes silent and its lease expires.
        project.write("zombie.txt", "zombie\n");
        String zombieCommit = project.commit("zombie work");
        project.git("push", "-q", url, zombieCommit + ":" + lease.getGit().getCheckpointRef());
        project.git("push", "-q", "--force", url, zombieCommit + ":" + lease.getGit().getResultRef());
        project.git("reset", "-q", "--hard", "HEAD~1");
        worker("w1", dir.resolve("zombie.log"));
        await().atMost(Duration.ofSeconds(60)).until(() -> phase(run(runId), "01").getAttempts() >= 2);

        StatusRuntimeException refused = catchThrowableOfType(() -> cluster().workers().completePhase(
                CompletePhaseRequest.newBuilder()
                        .setLease(LeaseRef.newBuilder().setRunId(runId).setPhaseKey("01").setEpoch(lease.getEpoch())
                                .setWorkerId(zombieId))
                        .setOutcome(Outcome.OUTCOME_SUCCEEDED).setTokensUsed(1).setResultCommit(zombieCommit)
                        .build()), StatusRuntimeException.class);
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        JsonNode status = waitFor(runId);

        assertThat(status.path("state").asText()).isEqualTo("SUCCEEDED");
        String result = status.path("git").path("resultCommit").asText();
        project.fetchAll(url);
        assertThat(project.files(result)).contains("solo.txt").doesNotContain("zombie.txt");
        String recorded = phase(run(runId), "01").getResultCommit();
        assertThat(recorded).isNotEqualTo(zombieCommit);
        assertThat(GitProject.remoteRef(url, "refs/heads/phasegrid/" + runId + "/01")).isEqualTo(recorded);
        assertThat(GitProject.remoteRef(url, lease.getGit().getCheckpointRef()))
                .as("the zombie only ever wrote its own epoch's ref").isEqualTo(zombieCommit);
    }

    @Test
    void dirtyTreesAreCommittedAMissingSummaryFailsAndTheAgentCannotPush() throws Exception {
        GitProject project = project("agents", new GitRoadmap()
                .phase(1, "Messy", List.of(), "write messy.txt messy\ndirty leftover.txt\npush")
                .phase(2, "Forgetful", List.of(), "write forgot.txt forgot\nno-summary"));
        String url = project.publish(daemon, "agents");
        Path log = dir.resolve("agents.log");
        Cluster.Node w1 = worker("w1", log);

        String runId = submit(project, url);
        waitFor(runId);

        Run run = run(runId);
        RunPhase messy = phase(run, "01");
        assertThat(messy.getState()).isEqualTo(PhaseState.PHASE_SUCCEEDED);
        project.fetchAll(url);
        assertThat(project.files(messy.getResultCommit())).contains("messy.txt", "leftover.txt");
        assertThat(w1.output()).contains("uncommitted").contains("leftover.txt");
        assertThat(Files.readString(log)).contains("push-refused 01 01-01").doesNotContain("pushed ");
        assertThat(GitProject.remoteRef(url, "refs/heads/agent-push")).isEmpty();

        RunPhase forgetful = phase(run, "02");
        assertThat(forgetful.getState()).isEqualTo(PhaseState.PHASE_FAILED);
        assertThat(forgetful.getReason()).contains("SUMMARY").contains("02-01");
        assertThat(run.getState()).isEqualTo(RunState.RUN_FAILED);
    }

    @Test
    void theReadmeExampleAsAGitRepositoryRunsEndToEndWithPhasegridRun() throws Exception {
        Path example = Path.of("..", "examples", "invoice-portal").toAbsolutePath().normalize();
        Path copy = dir.resolve("invoice-portal");
        copyTree(example, copy);
        GitProject project = GitProject.init(copy);
        String base = project.commit("the invoice portal as planned");
        Path log = dir.resolve("readme.log");

        Cluster.Cli run = cluster().command(Map.of("E2E_LOG", log.toString(), "E2E_WORKER", "embedded"),
                "run", copy.toString(), "--executor", "shell", "--command", agent, "--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(json.path("git").path("base").asText()).isEqualTo(base);
        String result = json.path("git").path("resultCommit").asText();
        assertThat(project.git("rev-parse", "refs/heads/" + json.path("git").path("resultBranch").asText()).strip())
                .isEqualTo(result);
        assertThat(project.head()).as("the clean checkout was fast-forwarded").isEqualTo(result);
        assertThat(project.show(result, ".planning/ROADMAP.md"))
                .contains("- [x] **Phase 4: OCR Extraction**", "- [x] **Phase 9: Payment Export**");
        assertThat(project.files(result)).contains(".planning/phases/04-ocr-extraction/04-03-SUMMARY.md");
        for (JsonNode phase : json.path("phases")) {
            if (phase.path("state").asText().equals("SUCCEEDED")) {
                assertThat(phase.path("resultCommit").asText()).matches("[0-9a-f]{40}");
            }
        }
    }

    private static GitProject project(String name, GitRoadmap roadmap) throws Exception {
        GitProject project = GitProject.init(dir.resolve(name));
        roadmap.writeTo(project);
        project.write("README.md", "# " + name + "\n");
        project.commit("plan " + name);
        return project;
    }

    private static Cluster.Node worker(String name, Path log) throws Exception {
        return cluster().startWorker(name, Map.of("E2E_LOG", log.toString(), "E2E_WORKER", name),
                "--slots", "2", "--executor", "shell", "--command", agent, "--git-allow", daemon.urlPrefix());
    }

    private static String submit(GitProject project, String url) throws Exception {
        Cluster.Cli submit = cluster().client("submit", project.dir().toString(), "--repo", url, "--json");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        return submit.json().path("runId").asText();
    }

    private static JsonNode waitFor(String runId) throws Exception {
        Cluster.Cli status = cluster().client("status", runId, "--wait", "--json");
        assertThat(status.stdout()).as(status.toString()).isNotBlank();
        return status.json();
    }

    private static Run run(String runId) {
        return cluster().runs().getRun(GetRunRequest.newBuilder().setRunId(runId).build());
    }

    private static RunPhase phase(Run run, String key) {
        return run.getPhasesList().stream().filter(p -> p.getKey().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no phase " + key + " in " + run));
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
