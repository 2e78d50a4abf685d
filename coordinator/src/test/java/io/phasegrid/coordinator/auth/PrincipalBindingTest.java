package io.phasegrid.coordinator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hazelcast.core.HazelcastInstance;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.grpc.CoordinatorServer;
import io.phasegrid.coordinator.grpc.RunGrpcService;
import io.phasegrid.coordinator.grpc.WorkerGrpcService;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.CancelRunRequest;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CoordinatorMessage;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.ListRunsRequest;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RetryRunRequest;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SetRunBudgetRequest;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.WatchRunRequest;
import io.phasegrid.proto.v1.WorkerMessage;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A principal's identity binds what it does: a worker cannot register under another principal's worker name, nor
 * poll, renew, checkpoint or report with another principal's worker id (the forged-report attack: a stranger failing
 * a running phase with the worker id ListWorkers shows); a submitter reaches only its own runs, and idempotency keys
 * are per principal. Real member, real gateway and run coordinator, an in-process server with the interceptor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrincipalBindingTest {

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;
    private HazelcastWorkerGateway gateway;
    private CoordinatorServer server;
    private ManagedChannel channel;
    private TokenAdmin admin;

    @BeforeAll
    void start() throws Exception {
        member = TestMembers.start(TestMembers.privateCluster("principals"));
        runs = new HazelcastRunCoordinator(member);
        gateway = new HazelcastWorkerGateway(member);
        TokenStore store = new HazelcastTokenStore(member);
        Authenticator authenticator = new Authenticator(store);
        admin = new TokenAdmin(store, authenticator, System::currentTimeMillis);
        String name = InProcessServerBuilder.generateName();
        server = new CoordinatorServer(InProcessServerBuilder.forName(name),
                List.of(new RunGrpcService(runs), new WorkerGrpcService(gateway)),
                List.of(new AuthInterceptor(authenticator, MethodRules.standard(), AuthInterceptor.Refusals.NONE)))
                .start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterAll
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        gateway.close();
        runs.close();
        member.shutdown();
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private String token(String name, Role role) {
        return admin.create(name, role).secret();
    }

    private WorkerServiceGrpc.WorkerServiceBlockingStub workerStub(String token) {
        return WorkerServiceGrpc.newBlockingStub(channel).withCallCredentials(BearerToken.of(token));
    }

    private RunServiceGrpc.RunServiceBlockingStub runStub(String token) {
        return RunServiceGrpc.newBlockingStub(channel).withCallCredentials(BearerToken.of(token));
    }

    private static SubmitRunRequest oneSlowPhase(String key) {
        return SubmitRunRequest.newBuilder().setIdempotencyKey(key).setStructured(StructuredRoadmap.newBuilder()
                .addPhases(StructuredPhase.newBuilder().setKey("A").setName("Phase A").setEstimatedTokens(100)))
                .build();
    }

    private static String register(WorkerServiceGrpc.WorkerServiceBlockingStub stub, String name) {
        return stub.register(RegisterWorkerRequest.newBuilder().setName(name).setSlots(1).build()).getWorkerId();
    }

    private static Lease pollOne(WorkerServiceGrpc.WorkerServiceBlockingStub stub, String workerId) {
        List<Lease> leases = stub.pollLease(PollLeaseRequest.newBuilder().setWorkerId(workerId).setFreeSlots(1)
                .setWaitMs(5_000).build()).getLeasesList();
        assertThat(leases).hasSize(1);
        return leases.get(0);
    }

    private static LeaseRef ref(Lease lease, String workerId) {
        return LeaseRef.newBuilder().setRunId(lease.getRunId()).setPhaseKey(lease.getPhaseKey())
                .setEpoch(lease.getEpoch()).setWorkerId(workerId).build();
    }

    private static CompletePhaseRequest failure(Lease lease, String workerId) {
        return CompletePhaseRequest.newBuilder().setLease(ref(lease, workerId)).setOutcome(Outcome.OUTCOME_FAILED)
                .setError("forged").build();
    }

    private static Status.Code codeOf(Supplier<?> call) {
        StatusRuntimeException e = catchThrowableOfType(call::get, StatusRuntimeException.class);
        assertThat(e).as("the call is refused").isNotNull();
        return e.getStatus().getCode();
    }

    // ------------------------------------------------------------------------------------------------- workers

    @Test
    void aStrangerCannotUseAnotherPrincipalsWorkerIdAndTheLeaseStaysWithItsHolder() throws Exception {
        String submitter = token("binding-submitter", Role.SUBMITTER);
        var honest = workerStub(token("honest-worker", Role.WORKER));
        var stranger = workerStub(token("stranger-worker", Role.WORKER));
        runStub(submitter).submit(oneSlowPhase(""));
        String victim = register(honest, "builder-1");
        Lease lease = pollOne(honest, victim);

        assertThat(codeOf(() -> stranger.completePhase(failure(lease, victim))))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> stranger.saveCheckpoint(SaveCheckpointRequest.newBuilder()
                .setLease(ref(lease, victim)).build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> stranger.heartbeat(HeartbeatRequest.newBuilder().setWorkerId(victim).setSlots(64)
                .build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> stranger.pollLease(PollLeaseRequest.newBuilder().setWorkerId(victim)
                .setFreeSlots(1).build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> register(stranger, "builder-1"))).as("the victim's name")
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        // with an id of its own the stranger holds nothing
        String own = register(stranger, "stranger-1");
        assertThat(codeOf(() -> stranger.completePhase(failure(lease, own))))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);

        var run = runs.get(lease.getRunId());
        assertThat(run.phases().get(0).attempts()).as("no forged failure counted").isEqualTo(1);
        assertThat(member.getMap("phasegrid.workers").get(victim)).extracting("slots").isEqualTo(1);
        PhaseState after = honest.completePhase(CompletePhaseRequest.newBuilder().setLease(ref(lease, victim))
                .setOutcome(Outcome.OUTCOME_SUCCEEDED).setTokensUsed(7).build()).getPhaseState();
        assertThat(after).isEqualTo(PhaseState.PHASE_SUCCEEDED);
    }

    @Test
    void theConnectStreamIsBoundToItsCallersPrincipalToo() throws Exception {
        String submitter = token("stream-submitter", Role.SUBMITTER);
        var honest = workerStub(token("stream-honest", Role.WORKER));
        runStub(submitter).submit(oneSlowPhase(""));
        String victim = register(honest, "streamer-1");
        Lease lease = pollOne(honest, victim);

        LinkedBlockingQueue<CoordinatorMessage> answers = new LinkedBlockingQueue<>();
        StreamObserver<WorkerMessage> stream = WorkerServiceGrpc.newStub(channel)
                .withCallCredentials(BearerToken.of(token("stream-stranger", Role.WORKER)))
                .connect(new StreamObserver<>() {
                    public void onNext(CoordinatorMessage m) {
                        answers.add(m);
                    }

                    public void onError(Throwable t) { }

                    public void onCompleted() { }
                });
        stream.onNext(WorkerMessage.newBuilder().setCorrelationId(1).setComplete(failure(lease, victim)).build());
        CoordinatorMessage answer = answers.poll(10, TimeUnit.SECONDS);
        stream.onCompleted();

        assertThat(answer).isNotNull();
        assertThat(answer.getError().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED.value());
        assertThat(runs.get(lease.getRunId()).phases().get(0).attempts()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------------------- runs

    @Test
    void aSubmitterReachesOnlyItsOwnRunsAndAnUnknownIdLooksTheSame() {
        var alice = runStub(token("alice", Role.SUBMITTER));
        var bob = runStub(token("bob", Role.SUBMITTER));
        var reader = runStub(token("scope-reader", Role.READER));
        Run alicesRun = alice.submit(oneSlowPhase("")).getRun();
        String id = alicesRun.getRunId();
        assertThat(alicesRun.getOwner()).isEqualTo("alice");

        assertThat(codeOf(() -> bob.getRun(GetRunRequest.newBuilder().setRunId(id).build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> bob.getRun(GetRunRequest.newBuilder().setRunId("r-no-such-run").build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> bob.cancelRun(CancelRunRequest.newBuilder().setRunId(id).build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> bob.retryRun(RetryRunRequest.newBuilder().setRunId(id).build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> bob.setRunBudget(SetRunBudgetRequest.newBuilder().setRunId(id).setBudgetTokens(1)
                .build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(codeOf(() -> bob.watchRun(WatchRunRequest.newBuilder().setRunId(id).build()).next()))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(bob.listRuns(ListRunsRequest.getDefaultInstance()).getRunsList()).extracting(Run::getRunId)
                .doesNotContain(id);

        assertThat(alice.getRun(GetRunRequest.newBuilder().setRunId(id).build()).getState())
                .isEqualTo(alicesRun.getState());
        assertThat(alice.listRuns(ListRunsRequest.getDefaultInstance()).getRunsList()).extracting(Run::getRunId)
                .containsExactly(id);
        assertThat(reader.getRun(GetRunRequest.newBuilder().setRunId(id).build()).getOwner()).isEqualTo("alice");
        assertThat(reader.listRuns(ListRunsRequest.getDefaultInstance()).getRunsList()).extracting(Run::getRunId)
                .contains(id);
        assertThat(runs.get(id).state()).as("bob's cancel changed nothing").isNotEqualTo(
                io.phasegrid.coordinator.run.RunState.CANCELLED);
    }

    @Test
    void idempotencyKeysArePerPrincipal() {
        var carol = runStub(token("carol", Role.SUBMITTER));
        var dave = runStub(token("dave", Role.SUBMITTER));
        String first = carol.submit(oneSlowPhase("nightly")).getRunId();

        var again = carol.submit(oneSlowPhase("nightly"));
        var davesRun = dave.submit(oneSlowPhase("nightly"));

        assertThat(again.getCreated()).isFalse();
        assertThat(again.getRunId()).isEqualTo(first);
        assertThat(davesRun.getCreated()).as("dave's key is his own").isTrue();
        assertThat(davesRun.getRunId()).isNotEqualTo(first);
        assertThat(davesRun.getRun().getIdempotencyKey()).isEqualTo("nightly");
    }
}
