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
import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.lease.LeaseTimings;
import io.phasegrid.coordinator.lease.WorkerDirectory;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.service.RunView;
import io.phasegrid.coordinator.service.Submission;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhasesRequest;
import io.phasegrid.proto.v1.CoordinatorMessage;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.ListWorkersRequest;
import io.phasegrid.proto.v1.ListWorkersResponse;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.WorkerMessage;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * WorkerService against a careless or hostile client, over an in-process gRPC server backed by a real member: every
 * request over a limit of worker.proto is INVALID_ARGUMENT with a short message, changes nothing, and an honest run
 * afterwards succeeds with the ledger exact (tokens used = the sum of the honest reports).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileWorkerRequestsTest {

    private static final String HUGE = "x".repeat(64 * 1024);
    private static final long HONEST_TOKENS = 1_234;

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;
    private HazelcastWorkerGateway gateway;
    private CoordinatorServer server;
    private ManagedChannel channel;
    private WorkerServiceGrpc.WorkerServiceBlockingStub workers;
    private TokenLedger ledger;

    @BeforeAll
    void start() throws Exception {
        member = TestMembers.start(TestMembers.privateCluster("hostile-workers"));
        runs = new HazelcastRunCoordinator(member);
        gateway = new HazelcastWorkerGateway(member);
        ledger = new TokenLedger(member);
        String name = InProcessServerBuilder.generateName();
        server = new CoordinatorServer(InProcessServerBuilder.forName(name), List.of(
                WorkerServiceDefinition.of(new WorkerGrpcService(gateway),
                        new WorkerDirectory(member, Clock.systemUTC(), LeaseTimings.DEFAULT)))).start();
        channel = InProcessChannelBuilder.forName(name).build();
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
        for (String map : List.of(MapNames.RUNS, MapNames.LEDGER, MapNames.SUBMISSIONS, MapNames.CHECKPOINTS,
                MapNames.WORKERS, MapNames.RUN_META)) {
            member.getMap(map).clear();
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private String submit(String... keys) {
        List<RunBlueprint.PhaseDef> phases = java.util.Arrays.stream(keys)
                .map(k -> new RunBlueprint.PhaseDef(k, "Phase " + k, 1_000, List.of(), false, List.of())).toList();
        return runs.submit(new Submission("", "t", null, phases, RunSettings.builder().build(), List.of(), 0, true))
                .runId();
    }

    private String register(String name, int slots) {
        return workers.register(RegisterWorkerRequest.newBuilder().setName(name).setSlots(slots).build())
                .getWorkerId();
    }

    private Lease pollOne(String workerId) {
        List<Lease> leases = workers.pollLease(PollLeaseRequest.newBuilder().setWorkerId(workerId).setFreeSlots(1)
                .setWaitMs(5_000).build()).getLeasesList();
        assertThat(leases).hasSize(1);
        return leases.get(0);
    }

    private static LeaseRef ref(Lease lease, String workerId) {
        return LeaseRef.newBuilder().setRunId(lease.getRunId()).setPhaseKey(lease.getPhaseKey())
                .setEpoch(lease.getEpoch()).setWorkerId(workerId).build();
    }

    private static CompletePhaseRequest.Builder report(Lease lease, String workerId, long tokens) {
        return CompletePhaseRequest.newBuilder().setLease(ref(lease, workerId)).setOutcome(Outcome.OUTCOME_SUCCEEDED)
                .setTokensUsed(tokens);
    }

    /** The call fails INVALID_ARGUMENT with a message of at most 300 characters. */
    private static void assertRefused(Supplier<?> call) {
        StatusRuntimeException e = catchThrowableOfType(call::get, StatusRuntimeException.class);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).hasSizeLessThanOrEqualTo(300);
    }

    /** An honest phase now: leased, reported with {@link #HONEST_TOKENS}; the run and the ledger are exact. */
    private void assertAnHonestRunSucceedsWithAnExactLedger(String workerId) {
        long usedBefore = ledger.snapshot().used();
        String runId = submit("honest");
        Lease lease = pollOne(workerId);
        workers.completePhase(report(lease, workerId, HONEST_TOKENS).build());
        RunView done = runs.get(runId);
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.tokensUsed()).isEqualTo(HONEST_TOKENS);
        assertThat(ledger.snapshot().used()).isEqualTo(usedBefore + HONEST_TOKENS);
        assertThat(ledger.snapshot().reserved()).isZero();
    }

    // --------------------------------------------------------------------------------------------------- tokens

    @Test
    void aReportOfLongMaxValueTokensIsRefusedAndTheLeaseStaysForTheHonestReport() {
        String workerId = register("overflower", 2);
        String runId = submit("A");
        Lease lease = pollOne(workerId);

        assertRefused(() -> workers.completePhase(report(lease, workerId, Long.MAX_VALUE).build()));
        assertRefused(() -> workers.completePhase(report(lease, workerId, 1_000_000_000_001L).build()));
        assertRefused(() -> workers.completePhase(report(lease, workerId, -1).build()));
        assertThat(ledger.snapshot().used()).as("nothing charged").isZero();

        workers.completePhase(report(lease, workerId, 10).build());
        assertThat(runs.get(runId).tokensUsed()).isEqualTo(10);
        assertThat(ledger.snapshot().used()).isEqualTo(10);
        assertAnHonestRunSucceedsWithAnExactLedger(workerId);
        assertThat(ledger.snapshot().used()).isEqualTo(10 + HONEST_TOKENS);
    }

    @Test
    void theMostTokensOneReportMayCarryAreAccepted() {
        String workerId = register("big-spender", 1);
        String runId = submit("A");
        Lease lease = pollOne(workerId);

        workers.completePhase(report(lease, workerId, 1_000_000_000_000L).build());

        assertThat(runs.get(runId).tokensUsed()).isEqualTo(1_000_000_000_000L);
        assertThat(ledger.snapshot().used()).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void anUnknownOutcomeOrNoneIsRefused() {
        String workerId = register("enum-prober", 1);
        submit("A");
        Lease lease = pollOne(workerId);

        assertRefused(() -> workers.completePhase(report(lease, workerId, 1).setOutcomeValue(99).build()));
        assertRefused(() -> workers.completePhase(report(lease, workerId, 1)
                .setOutcome(Outcome.OUTCOME_UNSPECIFIED).build()));

        workers.completePhase(report(lease, workerId, 0).build());
        assertAnHonestRunSucceedsWithAnExactLedger(workerId);
    }

    @Test
    void aLongErrorTextIsCutWithAMarkerAndTheReportStands() {
        String workerId = register("verbose", 1);
        String runId = submit("A");
        Lease lease = pollOne(workerId);

        workers.completePhase(report(lease, workerId, 5).setOutcome(Outcome.OUTCOME_FAILED).setError(HUGE)
                .build());

        String recorded = runs.get(runId).phases().get(0).reason();
        assertThat(recorded).isEqualTo(io.phasegrid.coordinator.run.RunRecord.REASON_EXECUTION_ERROR
                + WorkerRequestLimits.errorText(HUGE));
        assertThat(WorkerRequestLimits.errorText(HUGE)).hasSize(WorkerRequestLimits.MAX_ERROR_CHARS)
                .endsWith("[... cut: 65536 characters in all]");
        assertThat(ledger.snapshot().used()).isEqualTo(5);
    }

    // ---------------------------------------------------------------------------------------------- checkpoints

    @Test
    void aCheckpointOverItsLimitsIsRefusedAndNothingIsSaved() {
        String workerId = register("hoarder", 1);
        submit("A");
        Lease lease = pollOne(workerId);
        SaveCheckpointRequest.Builder ok = SaveCheckpointRequest.newBuilder().setLease(ref(lease, workerId));

        assertRefused(() -> workers.saveCheckpoint(ok.clone().setBlob(ByteString.copyFrom(new byte[2 << 20]))
                .build()));
        assertRefused(() -> workers.saveCheckpoint(ok.clone().setTokensSoFar(Long.MAX_VALUE).build()));
        assertRefused(() -> workers.saveCheckpoint(ok.clone().setTokensSoFar(-1).build()));
        assertRefused(() -> workers.saveCheckpoint(ok.clone().addCompletedPlans(HUGE).build()));
        List<String> plans = new ArrayList<>();
        for (int i = 0; i <= WorkerRequestLimits.MAX_COMPLETED_PLANS; i++) {
            plans.add("p" + i);
        }
        assertRefused(() -> workers.saveCheckpoint(ok.clone().addAllCompletedPlans(plans).build()));
        assertThat(member.getMap(MapNames.CHECKPOINTS).size()).isZero();

        // exactly 1 MiB is accepted
        workers.saveCheckpoint(ok.clone().setBlob(ByteString.copyFrom(new byte[1 << 20])).setTokensSoFar(3)
                .build());
        assertThat(member.getMap(MapNames.CHECKPOINTS).size()).isEqualTo(1);
        workers.completePhase(report(lease, workerId, 3).build());
        assertAnHonestRunSucceedsWithAnExactLedger(workerId);
    }

    // ------------------------------------------------------------------------------------- registry and slots

    @Test
    void aRegistrationOverItsLimitsIsRefusedAndRegistersNothing() {
        RegisterWorkerRequest.Builder ok = RegisterWorkerRequest.newBuilder().setName("fine").setSlots(1);
        RegisterWorkerRequest.Builder manyLabels = ok.clone();
        for (int i = 0; i < 10_000; i++) {
            manyLabels.putLabels("k" + i, "v");
        }

        assertRefused(() -> workers.register(ok.clone().setName("n".repeat(100 * 1024)).build()));
        assertRefused(() -> workers.register(manyLabels.build()));
        assertRefused(() -> workers.register(ok.clone().putLabels(HUGE, "v").build()));
        assertRefused(() -> workers.register(ok.clone().putLabels("k", HUGE).build()));
        assertRefused(() -> workers.register(ok.clone().setName(" ").build()));
        assertRefused(() -> workers.register(ok.clone().setSlots(0).build()));
        assertRefused(() -> workers.register(ok.clone().setSlots(10_001).build()));
        assertThat(member.getMap(MapNames.WORKERS).size()).isZero();

        assertAnHonestRunSucceedsWithAnExactLedger(register("fine", 1));
    }

    @Test
    void aHeartbeatWithImpossibleSlotsIsRefusedAndTheTotalsNeverGoNegative() {
        String workerId = register("liar", 4);
        HeartbeatRequest.Builder ok = HeartbeatRequest.newBuilder().setWorkerId(workerId).setSlots(4);

        assertRefused(() -> workers.heartbeat(ok.clone().setSlots(-4).build()));
        assertRefused(() -> workers.heartbeat(ok.clone().setBusySlots(-1).build()));
        assertRefused(() -> workers.heartbeat(ok.clone().setBusySlots(5).build()));
        assertRefused(() -> workers.heartbeat(ok.clone().setSlots(0).setBusySlots(5).build()));
        assertRefused(() -> workers.heartbeat(ok.clone().setWorkerId(HUGE).build()));
        assertRefused(() -> workers.heartbeat(ok.clone().addLeases(LeaseRef.newBuilder().setRunId(HUGE)).build()));

        ListWorkersResponse listed = workers.listWorkers(ListWorkersRequest.getDefaultInstance());
        assertThat(listed.getSlots()).isEqualTo(4);
        assertThat(listed.getBusySlots()).isZero();

        workers.heartbeat(ok.clone().setSlots(0).setBusySlots(3).build()); // 0 = the registered slots
        listed = workers.listWorkers(ListWorkersRequest.getDefaultInstance());
        assertThat(listed.getSlots()).isEqualTo(4);
        assertThat(listed.getBusySlots()).isEqualTo(3);
        assertAnHonestRunSucceedsWithAnExactLedger(workerId);
    }

    @Test
    void aPollForSlotsTheWorkerDoesNotHaveOrWithANegativeWaitIsRefusedAndLeasesNothing() {
        String workerId = register("greedy", 2);
        String runId = submit("A", "B", "C");
        PollLeaseRequest.Builder ok = PollLeaseRequest.newBuilder().setWorkerId(workerId).setFreeSlots(1);

        assertRefused(() -> workers.pollLease(ok.clone().setFreeSlots(0).build()));
        assertRefused(() -> workers.pollLease(ok.clone().setFreeSlots(3).build()));
        assertRefused(() -> workers.pollLease(ok.clone().setFreeSlots(-1).build()));
        assertRefused(() -> workers.pollLease(ok.clone().setWaitMs(-1).build()));
        assertRefused(() -> workers.pollLease(ok.clone().setWorkerId(HUGE).build()));
        assertThat(runs.get(runId).tokensReserved()).as("nothing leased").isZero();

        assertThat(workers.pollLease(ok.clone().setFreeSlots(2).build()).getLeasesCount()).isEqualTo(2);
    }

    @Test
    void idsOverTheirLimitsInALeaseRefAreRefusedWithAShortMessage() {
        String workerId = register("long-ids", 1);
        submit("A");
        Lease lease = pollOne(workerId);

        assertRefused(() -> workers.completePhase(report(lease, workerId, 1)
                .setLease(ref(lease, workerId).toBuilder().setRunId(HUGE)).build()));
        assertRefused(() -> workers.completePhase(report(lease, workerId, 1)
                .setLease(ref(lease, workerId).toBuilder().setPhaseKey(HUGE)).build()));
        assertRefused(() -> workers.completePhase(report(lease, workerId, 1)
                .setLease(ref(lease, workerId).toBuilder().setWorkerId(HUGE)).build()));

        workers.completePhase(report(lease, workerId, 0).build());
        assertAnHonestRunSucceedsWithAnExactLedger(workerId);
    }

    // ------------------------------------------------------------------------------------------ Connect stream

    @Test
    void theStreamAppliesTheSameLimitsAndStaysOpen() throws Exception {
        BlockingQueue<CoordinatorMessage> received = new LinkedBlockingQueue<>();
        StreamObserver<WorkerMessage> requests = WorkerServiceGrpc.newStub(channel).connect(
                new StreamObserver<>() {
                    @Override
                    public void onNext(CoordinatorMessage message) {
                        received.add(message);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        String workerId = register("streamer", 1);
        submit("A");
        Lease lease = pollOne(workerId);

        requests.onNext(WorkerMessage.newBuilder().setCorrelationId(1)
                .setRegister(RegisterWorkerRequest.newBuilder().setName(HUGE).setSlots(1)).build());
        requests.onNext(WorkerMessage.newBuilder().setCorrelationId(2)
                .setComplete(report(lease, workerId, Long.MAX_VALUE)).build());
        requests.onNext(WorkerMessage.newBuilder().setCorrelationId(3).setCompleteAll(CompletePhasesRequest
                .newBuilder().addReports(report(lease, workerId, -1)).addReports(report(lease, workerId, 2))).build());
        requests.onNext(WorkerMessage.newBuilder().setCorrelationId(4)
                .setPoll(PollLeaseRequest.newBuilder().setWorkerId(workerId).setFreeSlots(1).setWaitMs(-5)).build());
        requests.onNext(WorkerMessage.newBuilder().setCorrelationId(5)
                .setHeartbeat(HeartbeatRequest.newBuilder().setWorkerId(workerId).setSlots(1).setBusySlots(2))
                .build());

        java.util.Map<Long, CoordinatorMessage> answers = new java.util.HashMap<>();
        for (int i = 0; i < 5; i++) {
            CoordinatorMessage m = received.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("answer " + i).isNotNull();
            answers.put(m.getCorrelationId(), m);
        }
        for (long id : List.of(1L, 2L, 4L, 5L)) {
            assertThat(answers.get(id).getError().getCode()).as("answer " + id)
                    .isEqualTo(Status.Code.INVALID_ARGUMENT.value());
            assertThat(answers.get(id).getError().getMessage()).hasSizeLessThanOrEqualTo(300);
        }
        List<io.phasegrid.proto.v1.CompletePhaseResult> batch = answers.get(3L).getCompletedAll().getResultsList();
        assertThat(batch.get(0).getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(batch.get(1).getCompleted().getPhaseState())
                .as("the honest report of the batch stands").isEqualTo(io.phasegrid.proto.v1.PhaseState.PHASE_SUCCEEDED);
        requests.onCompleted();

        assertThat(ledger.snapshot().used()).isEqualTo(2);
        assertAnHonestRunSucceedsWithAnExactLedger(workerId);
    }
}
