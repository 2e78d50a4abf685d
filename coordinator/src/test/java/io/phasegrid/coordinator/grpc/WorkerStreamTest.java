package io.phasegrid.coordinator.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.service.Submission;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CoordinatorMessage;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.WorkerMessage;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Connect stream over an in-process gRPC server backed by a real member: operations by correlation id. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerStreamTest {

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;
    private HazelcastWorkerGateway gateway;
    private CoordinatorServer server;
    private ManagedChannel channel;

    @BeforeAll
    void start() throws Exception {
        member = TestMembers.start(TestMembers.privateCluster("worker-stream"));
        runs = new HazelcastRunCoordinator(member);
        gateway = new HazelcastWorkerGateway(member);
        String name = InProcessServerBuilder.generateName();
        server = new CoordinatorServer(InProcessServerBuilder.forName(name),
                List.of(new WorkerGrpcService(gateway))).start();
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

    @BeforeEach
    void emptyMaps() {
        for (String map : List.of(MapNames.RUNS, MapNames.LEDGER, MapNames.SUBMISSIONS, MapNames.CHECKPOINTS)) {
            member.getMap(map).clear();
        }
    }

    /** A client end of one stream that collects the coordinator's messages. */
    private final class Stream implements ClientResponseObserver<WorkerMessage, CoordinatorMessage> {
        final BlockingQueue<CoordinatorMessage> received = new LinkedBlockingQueue<>();
        volatile Throwable error;
        volatile boolean completed;
        ClientCallStreamObserver<WorkerMessage> requests;

        Stream open() {
            WorkerServiceGrpc.newStub(channel).connect(this);
            return this;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<WorkerMessage> requests) {
            this.requests = requests;
        }

        @Override
        public void onNext(CoordinatorMessage message) {
            received.add(message);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }

        void send(long id, WorkerMessage.Builder message) {
            requests.onNext(message.setCorrelationId(id).build());
        }

        CoordinatorMessage next() throws InterruptedException {
            CoordinatorMessage m = received.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("an answer within 10 s").isNotNull();
            return m;
        }
    }

    private String submit(String... keys) {
        List<RunBlueprint.PhaseDef> phases = java.util.Arrays.stream(keys)
                .map(k -> new RunBlueprint.PhaseDef(k, "Phase " + k, 1_000, List.of(), false, List.of())).toList();
        return runs.submit(new Submission("", "t", null, phases, RunSettings.builder().build(), List.of(), 0, true))
                .runId();
    }

    private String register(Stream stream, String name) throws InterruptedException {
        stream.send(1, WorkerMessage.newBuilder().setRegister(RegisterWorkerRequest.newBuilder().setName(name)
                .setSlots(4)));
        CoordinatorMessage registered = stream.next();
        assertThat(registered.getCorrelationId()).isEqualTo(1);
        return registered.getRegistered().getWorkerId();
    }

    private static WorkerMessage.Builder complete(Lease lease, String workerId, long epoch) {
        return WorkerMessage.newBuilder().setComplete(CompletePhaseRequest.newBuilder()
                .setLease(LeaseRef.newBuilder().setRunId(lease.getRunId()).setPhaseKey(lease.getPhaseKey())
                        .setEpoch(epoch).setWorkerId(workerId))
                .setOutcome(Outcome.OUTCOME_SUCCEEDED).setTokensUsed(7));
    }

    @Test
    void aLongPollDoesNotHoldBackTheReportsBehindItAndAnErrorLeavesTheStreamOpen() throws Exception {
        String runId = submit("A");
        Stream stream = new Stream().open();
        String workerId = register(stream, "streamer");
        stream.send(2, WorkerMessage.newBuilder().setPoll(PollLeaseRequest.newBuilder().setWorkerId(workerId)
                .setFreeSlots(4).setWaitMs(1_000)));
        CoordinatorMessage leased = stream.next();
        assertThat(leased.getCorrelationId()).isEqualTo(2);
        Lease lease = leased.getLeases().getLeases(0);

        // a long poll with nothing to lease waits; the report sent after it is answered first
        stream.send(3, WorkerMessage.newBuilder().setPoll(PollLeaseRequest.newBuilder().setWorkerId(workerId)
                .setFreeSlots(3).setWaitMs(2_000)));
        stream.send(4, complete(lease, workerId, lease.getEpoch() + 5));
        CoordinatorMessage refused = stream.next();
        assertThat(refused.getCorrelationId()).isEqualTo(4);
        assertThat(refused.getError().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION.value());
        stream.send(5, complete(lease, workerId, lease.getEpoch()));
        CoordinatorMessage completed = stream.next();
        assertThat(completed.getCorrelationId()).isEqualTo(5);
        assertThat(completed.getCompleted().getPhaseState())
                .isEqualTo(io.phasegrid.proto.v1.PhaseState.PHASE_SUCCEEDED);
        CoordinatorMessage emptyPoll = stream.next();
        assertThat(emptyPoll.getCorrelationId()).isEqualTo(3);
        assertThat(emptyPoll.getLeases().getLeasesCount()).isZero();

        stream.requests.onCompleted();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stream.completed);
        assertThat(runs.get(runId).phases().get(0).state()).isEqualTo(PhaseState.SUCCEEDED);
    }

    @Test
    void aMessageWithoutAnOperationIsAnInvalidArgumentAnswer() throws Exception {
        Stream stream = new Stream().open();
        stream.send(9, WorkerMessage.newBuilder());
        CoordinatorMessage answer = stream.next();
        assertThat(answer.getCorrelationId()).isEqualTo(9);
        assertThat(answer.getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        stream.requests.onCompleted();
    }

    @Test
    void aPollWhoseStreamIsCancelledLeasesNothingToNobody() throws Exception {
        Stream stream = new Stream().open();
        String workerId = register(stream, "leaver");
        stream.send(2, WorkerMessage.newBuilder().setPoll(PollLeaseRequest.newBuilder().setWorkerId(workerId)
                .setFreeSlots(1).setWaitMs(3_000)));
        stream.requests.cancel("worker went away", null);
        String runId = submit("B"); // becomes ready after the stream is gone

        Stream other = new Stream().open();
        String otherId = register(other, "stayer");
        other.send(2, WorkerMessage.newBuilder().setPoll(PollLeaseRequest.newBuilder().setWorkerId(otherId)
                .setFreeSlots(1).setWaitMs(3_000)));
        CoordinatorMessage leased = other.next();

        assertThat(leased.getLeases().getLeasesList()).extracting(Lease::getPhaseKey).containsExactly("B");
        assertThat(runs.get(runId).phases().get(0).worker()).isEqualTo("stayer");
        other.requests.onCompleted();
    }

    @Test
    void aHalfCloseDuringALongPollEndsThePollAtOnceWithNoLeaseAndLeasesNothingToTheClosedStream() throws Exception {
        Stream stream = new Stream().open();
        String workerId = register(stream, "closer");
        stream.send(2, WorkerMessage.newBuilder().setPoll(PollLeaseRequest.newBuilder().setWorkerId(workerId)
                .setFreeSlots(1).setWaitMs(30_000)));
        // let the poll reach its wait first: a half-close seen before the wait begins would pass without the wake-up
        Thread.sleep(500);

        stream.requests.onCompleted();

        // next() waits 10 s at most: a poll that waited out its 30 s would fail here
        CoordinatorMessage answer = stream.next();
        assertThat(answer.getCorrelationId()).isEqualTo(2);
        assertThat(answer.getLeases().getLeasesList()).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stream.completed);

        String runId = submit("H"); // ready after the half-close: it must go to a worker still there
        Stream other = new Stream().open();
        String otherId = register(other, "still-here");
        other.send(2, WorkerMessage.newBuilder().setPoll(PollLeaseRequest.newBuilder().setWorkerId(otherId)
                .setFreeSlots(1).setWaitMs(3_000)));
        assertThat(other.next().getLeases().getLeasesList()).extracting(Lease::getPhaseKey).containsExactly("H");
        assertThat(runs.get(runId).phases().get(0).worker()).isEqualTo("still-here");
        other.requests.onCompleted();
    }

    @Test
    void aStoppingCoordinatorEndsTheStreamSoTheWorkerGoesElsewhereAtOnce() throws Exception {
        WorkerGrpcService service = new WorkerGrpcService(gateway);
        String name = InProcessServerBuilder.generateName();
        CoordinatorServer stopping = new CoordinatorServer(InProcessServerBuilder.forName(name), List.of(service))
                .start();
        ManagedChannel toStopping = InProcessChannelBuilder.forName(name).build();
        try {
            Stream stream = new Stream();
            WorkerServiceGrpc.newStub(toStopping).connect(stream);
            String workerId = register(stream, "leaving");
            stream.send(2, WorkerMessage.newBuilder().setPoll(PollLeaseRequest.newBuilder().setWorkerId(workerId)
                    .setFreeSlots(1).setWaitMs(20_000)));

            service.endStreams();

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stream.completed);
            assertThat(stream.received).as("the waiting poll gets no answer").isEmpty();
        } finally {
            toStopping.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            stopping.close();
        }
    }
}
