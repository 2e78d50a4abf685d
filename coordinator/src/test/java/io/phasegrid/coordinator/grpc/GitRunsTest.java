package io.phasegrid.coordinator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.hazelcast.core.HazelcastInstance;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.lease.LeaseTimings;
import io.phasegrid.coordinator.lease.WorkerDirectory;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.BundleFile;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.Delivery;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.GitSource;
import io.phasegrid.proto.v1.GitWork;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.ListRunsRequest;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PhaseCommit;
import io.phasegrid.proto.v1.PhaseResolution;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.PlanningBundle;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RetryPolicy;
import io.phasegrid.proto.v1.RetryRunRequest;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.RunState;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A git run through RunService and WorkerService (in-process gRPC, one real member): what each lease carries
 * (LeaseGit), what the reports record (result commits, checkpoint commits, conflicts), the integration step and
 * retries with resolutions. Roadmap: 01 and 02 independent, 03 depends on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitRunsTest {

    private static final String REPO = "file:///srv/git/project.git";
    private static final String BASE = "a".repeat(40);
    private static final String ROADMAP = """
            # Roadmap: Git

            ## Phases

            - [ ] **Phase 1: Alpha** - first
            - [ ] **Phase 2: Beta** - second
            - [ ] **Phase 3: Gamma** - third

            ## Phase Details

            ### Phase 1: Alpha
            **Depends on**: Nothing

            ### Phase 2: Beta
            **Depends on**: Nothing

            ### Phase 3: Gamma
            **Depends on**: Phase 1, Phase 2
            """;

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;
    private HazelcastWorkerGateway gateway;
    private CoordinatorServer server;
    private ManagedChannel channel;
    private RunServiceGrpc.RunServiceBlockingStub runService;
    private WorkerServiceGrpc.WorkerServiceBlockingStub workers;
    private String worker;

    @BeforeAll
    void start() throws Exception {
        member = TestMembers.start(TestMembers.privateCluster("git-runs"));
        runs = new HazelcastRunCoordinator(member);
        gateway = new HazelcastWorkerGateway(member);
        String name = InProcessServerBuilder.generateName();
        server = new CoordinatorServer(InProcessServerBuilder.forName(name), List.of(new RunGrpcService(runs),
                WorkerServiceDefinition.of(new WorkerGrpcService(gateway),
                        new WorkerDirectory(member, Clock.systemUTC(), LeaseTimings.DEFAULT)))).start();
        channel = InProcessChannelBuilder.forName(name).build();
        runService = RunServiceGrpc.newBlockingStub(channel);
        workers = WorkerServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        gateway.close();
        runs.close();
        member.shutdown();
    }

    @BeforeEach
    void emptyMaps() {
        for (String map : List.of(MapNames.RUNS, MapNames.RUN_META, MapNames.LEDGER, MapNames.SUBMISSIONS,
                MapNames.CHECKPOINTS)) {
            member.getMap(map).clear();
        }
        worker = workers.register(RegisterWorkerRequest.newBuilder().setName("w").setSlots(4).build())
                .getWorkerId();
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static String commit(char c) {
        return String.valueOf(c).repeat(40);
    }

    private static SubmitRunRequest.Builder gitSubmission(GitSource.Builder git) {
        return SubmitRunRequest.newBuilder()
                .setBundle(PlanningBundle.newBuilder().addFiles(BundleFile.newBuilder()
                        .setPath(".planning/ROADMAP.md").setContent(ByteString.copyFromUtf8(ROADMAP))))
                .setOptions(RunOptions.newBuilder().setRetry(RetryPolicy.newBuilder().setMaxAttempts(1)))
                .setGit(git);
    }

    private static GitSource.Builder source() {
        return GitSource.newBuilder().setRepoUrl(REPO).setBaseCommit(BASE).setBaseBranch("main");
    }

    private Run submit() {
        return runService.submit(gitSubmission(source()).build()).getRun();
    }

    private Run get(String runId) {
        return runService.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
    }

    private List<Lease> poll() {
        return workers.pollLease(PollLeaseRequest.newBuilder().setWorkerId(worker).setFreeSlots(4).setWaitMs(5_000)
                .build()).getLeasesList();
    }

    private Lease pollOne(String key) {
        List<Lease> leases = poll();
        assertThat(leases).extracting(Lease::getPhaseKey).containsExactly(key);
        return leases.get(0);
    }

    private LeaseRef ref(Lease lease) {
        return LeaseRef.newBuilder().setRunId(lease.getRunId()).setPhaseKey(lease.getPhaseKey())
                .setEpoch(lease.getEpoch()).setWorkerId(worker).build();
    }

    private CompletePhaseRequest.Builder report(Lease lease, Outcome outcome, long tokens) {
        return CompletePhaseRequest.newBuilder().setLease(ref(lease)).setOutcome(outcome).setTokensUsed(tokens);
    }

    private void succeed(Lease lease, String resultCommit) {
        workers.completePhase(report(lease, Outcome.OUTCOME_SUCCEEDED, 10).setResultCommit(resultCommit).build());
    }

    private static Status.Code refusal(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call was refused").isNotNull();
        return e.getStatus().getCode();
    }

    private static RunPhase phase(Run run, String key) {
        return run.getPhasesList().stream().filter(p -> p.getKey().equals(key)).findFirst().orElseThrow();
    }

    private static List<String> inputs(Lease lease) {
        List<String> out = new ArrayList<>();
        for (PhaseCommit c : lease.getGit().getInputsList()) {
            out.add(c.getPhaseKey() + "=" + c.getCommit());
        }
        return out;
    }

    // --------------------------------------------------------------------------------------------------- tests

    @Test
    void aGitRunShowsItsSourceWithDefaultsAndHidesItsIntegrationStepFromThePhases() {
        Run run = submit();

        assertThat(run.getPhasesList()).extracting(RunPhase::getKey).containsExactly("01", "02", "03");
        assertThat(run.hasGit()).isTrue();
        assertThat(run.getGit().getRepoUrl()).isEqualTo(REPO);
        assertThat(run.getGit().getBaseCommit()).isEqualTo(BASE);
        assertThat(run.getGit().getBaseBranch()).isEqualTo("main");
        assertThat(run.getGit().getDelivery()).isEqualTo(Delivery.DELIVERY_BRANCH);
        assertThat(run.getGit().getResultBranch()).isEqualTo("phasegrid/" + run.getRunId() + "/result");
        assertThat(run.getGit().getResultCommit()).isEmpty();
        assertThat(run.getGit().getIntegration().getKey()).isEqualTo("integration");
        assertThat(run.getGit().getIntegration().getState()).isEqualTo(PhaseState.PHASE_PENDING);
        assertThat(run.getGit().getIntegration().getEstimatedTokens()).isZero();
    }

    @Test
    void leasesCarryTheirInputsAndRefsAndTheIntegrationEndsTheRun() {
        String runId = submit().getRunId();

        List<Lease> first = poll();
        assertThat(first).extracting(Lease::getPhaseKey).containsExactly("01", "02");
        for (Lease lease : first) {
            assertThat(lease.getGit().getRepoUrl()).isEqualTo(REPO);
            assertThat(lease.getGit().getBaseCommit()).isEqualTo(BASE);
            assertThat(lease.getGit().getWork()).isEqualTo(GitWork.GIT_WORK_PHASE);
            assertThat(lease.getGit().getInputsList()).as("no dependencies: start at the base").isEmpty();
            assertThat(lease.getGit().getCheckpointRef())
                    .isEqualTo("refs/phasegrid/" + runId + "/" + lease.getPhaseKey() + "/e1");
            assertThat(lease.getGit().getResultRef())
                    .isEqualTo("refs/heads/phasegrid/" + runId + "/" + lease.getPhaseKey());
            assertThat(lease.getGit().getResumeCommit()).isEmpty();
        }
        succeed(first.get(1), commit('2'));
        succeed(first.get(0), commit('1'));

        Lease gamma = pollOne("03");
        assertThat(inputs(gamma)).as("its dependencies' results in roadmap order")
                .containsExactly("01=" + commit('1'), "02=" + commit('2'));
        assertThat(gamma.getGit().getInputs(0).getPhaseName()).isEqualTo("Alpha");
        succeed(gamma, commit('3'));
        assertThat(phase(get(runId), "03").getResultCommit()).isEqualTo(commit('3'));
        assertThat(get(runId).getState()).as("the integration is still to run").isEqualTo(RunState.RUN_RUNNING);

        Lease integration = pollOne("integration");
        assertThat(integration.getEstimatedTokens()).isZero();
        assertThat(integration.getPlansList()).isEmpty();
        assertThat(integration.getGit().getWork()).isEqualTo(GitWork.GIT_WORK_INTEGRATION);
        assertThat(inputs(integration)).as("every phase result in roadmap order")
                .containsExactly("01=" + commit('1'), "02=" + commit('2'), "03=" + commit('3'));
        assertThat(integration.getGit().getResultRef()).isEqualTo("refs/heads/phasegrid/" + runId + "/result");
        assertThat(integration.getGit().getDelivery()).isEqualTo(Delivery.DELIVERY_BRANCH);
        assertThat(integration.getGit().getBaseBranch()).isEqualTo("main");
        workers.completePhase(report(integration, Outcome.OUTCOME_SUCCEEDED, 0).setResultCommit(commit('9'))
                .setDeliveryNote("main fast-forwarded to " + commit('9')).build());

        Run done = get(runId);
        assertThat(done.getState()).isEqualTo(RunState.RUN_SUCCEEDED);
        assertThat(done.getGit().getResultCommit()).isEqualTo(commit('9'));
        assertThat(done.getGit().getDeliveryNote()).isEqualTo("main fast-forwarded to " + commit('9'));
        assertThat(done.getGit().getIntegration().getState()).isEqualTo(PhaseState.PHASE_SUCCEEDED);
        assertThat(done.getPhasesList()).extracting(RunPhase::getResultCommit)
                .containsExactly(commit('1'), commit('2'), commit('3'));
        Run listed = runService.listRuns(ListRunsRequest.getDefaultInstance()).getRunsList().stream()
                .filter(r -> r.getRunId().equals(runId)).findFirst().orElseThrow();
        assertThat(listed.getPhasesList()).as("a listing has no phases").isEmpty();
        assertThat(listed.getGit().getResultCommit()).as("but its RunGit is whole").isEqualTo(commit('9'));
        assertThat(listed.getGit().getIntegration().getState()).isEqualTo(PhaseState.PHASE_SUCCEEDED);
    }

    @Test
    void aReLeasedPhaseResumesAtItsCheckpointCommitOnARefOfItsNewEpoch() {
        String runId = submit().getRunId();
        Lease alpha = poll().get(0);
        workers.saveCheckpoint(SaveCheckpointRequest.newBuilder().setLease(ref(alpha)).addCompletedPlans("01-01")
                .setCommit(commit('c')).build());
        workers.completePhase(report(alpha, Outcome.OUTCOME_ABANDONED, 0).build());

        Lease again = pollOne("01");
        assertThat(again.getEpoch()).isEqualTo(2);
        assertThat(again.getGit().getResumeCommit()).isEqualTo(commit('c'));
        assertThat(again.getGit().getCheckpointRef()).isEqualTo("refs/phasegrid/" + runId + "/01/e2");

        assertThat(refusal(() -> succeed(alpha, commit('d')))).as("the old epoch, even with a result commit")
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refusal(() -> workers.saveCheckpoint(SaveCheckpointRequest.newBuilder().setLease(ref(alpha))
                .setCommit(commit('d')).build()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(phase(get(runId), "01").getResultCommit()).isEmpty();
    }

    @Test
    void gitReportsMustCarryTheirCommits() {
        submit();
        Lease alpha = poll().get(0);

        assertThat(refusal(() -> workers.saveCheckpoint(SaveCheckpointRequest.newBuilder().setLease(ref(alpha))
                .build()))).as("checkpoint without commit").isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> workers.saveCheckpoint(SaveCheckpointRequest.newBuilder().setLease(ref(alpha))
                .setCommit("HEAD").build()))).as("not 40 hex").isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> workers.completePhase(report(alpha, Outcome.OUTCOME_SUCCEEDED, 1).build())))
                .as("success without result_commit").isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> workers.completePhase(report(alpha, Outcome.OUTCOME_SUCCEEDED, 1)
                .setResultCommit(commit('1')).setDeliveryNote("not the integration").build())))
                .as("delivery note on a phase lease").isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> workers.completePhase(report(alpha, Outcome.OUTCOME_CONFLICT, 1).build())))
                .as("conflict without paths").isEqualTo(Status.Code.INVALID_ARGUMENT);

        succeed(alpha, commit('1')); // the refusals changed nothing: the lease is still held
    }

    @Test
    void aConflictFailsAtOnceChargesNothingAndBlocksItsDependentsAndTheIntegration() {
        String runId = submit().getRunId();
        List<Lease> first = poll();
        succeed(first.get(0), commit('1'));
        succeed(first.get(1), commit('2'));
        Lease gamma = pollOne("03");
        List<String> paths = new ArrayList<>();
        for (int k = 150; k > 0; k--) {
            paths.add(String.format("src/f%03d.txt", k));
        }
        workers.completePhase(report(gamma, Outcome.OUTCOME_CONFLICT, 5_000).addAllConflictPaths(paths).build());

        Run failed = get(runId);
        RunPhase conflicted = phase(failed, "03");
        assertThat(failed.getState()).isEqualTo(RunState.RUN_FAILED);
        assertThat(conflicted.getState()).as("not retried").isEqualTo(PhaseState.PHASE_FAILED);
        assertThat(conflicted.getTokens()).isZero();
        assertThat(conflicted.getConflictPathsList()).hasSize(100).startsWith("src/f001.txt").endsWith("src/f100.txt");
        assertThat(conflicted.getReason()).startsWith("conflict: src/f001.txt, src/f002.txt");
        assertThat(failed.getTokens().getUsed()).isEqualTo(20);
        assertThat(failed.getTokens().getReserved()).isZero();
        assertThat(failed.getGit().getIntegration().getState()).isEqualTo(PhaseState.PHASE_BLOCKED);

        Run retried = runService.retryRun(RetryRunRequest.newBuilder().setRunId(runId)
                .addResolutions(PhaseResolution.newBuilder().setPhaseKey("03").setCommit(commit('e'))).build());
        assertThat(phase(retried, "03").getConflictPathsList()).isEmpty();
        Lease resolved = pollOne("03");
        assertThat(resolved.getGit().getResolutionCommit()).isEqualTo(commit('e'));
        assertThat(inputs(resolved)).hasSize(2);
    }

    @Test
    void aFailedIntegrationFailsTheRunAndARetryRunsItAgain() {
        String runId = submit().getRunId();
        List<Lease> first = poll();
        succeed(first.get(0), commit('1'));
        succeed(first.get(1), commit('2'));
        succeed(pollOne("03"), commit('3'));
        Lease integration = pollOne("integration");
        workers.completePhase(report(integration, Outcome.OUTCOME_FAILED, 0).setError("verify failed").build());

        Run failed = get(runId);
        assertThat(failed.getState()).isEqualTo(RunState.RUN_FAILED);
        assertThat(failed.getPhasesList()).extracting(RunPhase::getState).containsOnly(PhaseState.PHASE_SUCCEEDED);
        assertThat(failed.getGit().getIntegration().getState()).isEqualTo(PhaseState.PHASE_FAILED);

        runService.retryRun(RetryRunRequest.newBuilder().setRunId(runId).addResolutions(PhaseResolution
                .newBuilder().setPhaseKey("integration").setCommit(commit('f'))).build());
        Lease again = pollOne("integration");
        assertThat(again.getGit().getResolutionCommit()).isEqualTo(commit('f'));
        workers.completePhase(report(again, Outcome.OUTCOME_SUCCEEDED, 0).setResultCommit(commit('9')).build());
        assertThat(get(runId).getState()).isEqualTo(RunState.RUN_SUCCEEDED);
    }

    @Test
    void resolutionsAreCheckedAgainstTheRun() {
        String runId = submit().getRunId();
        for (Lease lease : poll()) {
            workers.completePhase(report(lease, Outcome.OUTCOME_FAILED, 0).build());
        }
        assertThat(get(runId).getState()).isEqualTo(RunState.RUN_FAILED);
        RetryRunRequest.Builder retry = RetryRunRequest.newBuilder().setRunId(runId);
        PhaseResolution good = PhaseResolution.newBuilder().setPhaseKey("01").setCommit(commit('e')).build();

        assertThat(refusal(() -> runService.retryRun(retry.clone().addResolutions(good.toBuilder().setCommit("abc"))
                .build()))).as("commit form").isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> runService.retryRun(retry.clone().addResolutions(good).addResolutions(good)
                .build()))).as("listed twice").isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> runService.retryRun(retry.clone().addResolutions(good.toBuilder()
                .setPhaseKey("nope")).build()))).as("no such phase").isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> runService.retryRun(retry.clone().addResolutions(good.toBuilder()
                .setPhaseKey("03")).build()))).as("a BLOCKED phase is not FAILED")
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(get(runId).getState()).as("the refusals changed nothing").isEqualTo(RunState.RUN_FAILED);

        runService.retryRun(retry.clone().addResolutions(good).build());
        List<Lease> leases = poll();
        assertThat(leases).extracting(Lease::getPhaseKey).containsExactly("01", "02");
        assertThat(leases).extracting(l -> l.getGit().getResolutionCommit()).containsExactly(commit('e'), "");
    }

    @Test
    void plainRunsHaveNoGitAndRefuseGitFields() {
        Run plain = runService.submit(gitSubmission(source()).clearGit().build()).getRun();
        assertThat(plain.hasGit()).isFalse();
        assertThat(plain.getPhasesList()).extracting(RunPhase::getKey).containsExactly("01", "02", "03");
        Lease alpha = poll().get(0);
        assertThat(alpha.hasGit()).isFalse();

        assertThat(refusal(() -> workers.saveCheckpoint(SaveCheckpointRequest.newBuilder().setLease(ref(alpha))
                .setCommit(commit('c')).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> workers.completePhase(report(alpha, Outcome.OUTCOME_SUCCEEDED, 1)
                .setResultCommit(commit('1')).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> workers.completePhase(report(alpha, Outcome.OUTCOME_CONFLICT, 1)
                .addConflictPaths("a.txt").build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> workers.completePhase(report(alpha, Outcome.OUTCOME_FAILED, 1)
                .setResultCommit(commit('1')).build()))).as("whatever the outcome")
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refusal(() -> runService.retryRun(RetryRunRequest.newBuilder().setRunId(plain.getRunId())
                .addResolutions(PhaseResolution.newBuilder().setPhaseKey("01").setCommit(commit('e'))).build())))
                .as("not a git run, even while it runs").isEqualTo(Status.Code.INVALID_ARGUMENT);

        workers.completePhase(report(alpha, Outcome.OUTCOME_SUCCEEDED, 1).build());
        assertThat(phase(get(plain.getRunId()), "01").getState()).isEqualTo(PhaseState.PHASE_SUCCEEDED);
    }
}
