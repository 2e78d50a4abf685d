package io.phasegrid.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.phasegrid.coordinator.lease.LeaseTimings;
import io.phasegrid.coordinator.node.CoordinatorNode;
import io.phasegrid.common.testing.PostgresServer;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SetBudgetRequest;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The durable store behind the maps, on PostgreSQL and on an H2 file: a coordinator that loses every member (the
 * whole cluster stopped) comes back on the same database with its runs, acknowledged completions, checkpoints and
 * ledger; while the database is away, reports fail (nothing is acknowledged that is not stored) and succeed again
 * when it is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DurableStoreTest {

    @TempDir
    Path dir;

    private PostgresServer postgres;

    Stream<String> databases() throws Exception {
        return Stream.of("h2", "postgresql");
    }

    private String url(String database) throws Exception {
        if (database.equals("h2")) {
            return "jdbc:h2:file:" + dir.resolve("store-" + System.nanoTime()) + ";DB_CLOSE_DELAY=0";
        }
        if (postgres == null) {
            postgres = PostgresServer.start();
        }
        return postgres.jdbcUrl();
    }

    @AfterAll
    void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static CoordinatorNode node(String url, String name) throws Exception {
        return CoordinatorNode.start(CoordinatorNode.Options.loopback(TestMembers.privateCluster(name), 0)
                .withTimings(new LeaseTimings(200, 1_500), Duration.ofMillis(200))
                .withStore(Optional.of(StoreSettings.of(url))));
    }

    private static ManagedChannel channel(CoordinatorNode node) {
        return NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort()).usePlaintext().build();
    }

    private static StructuredPhase phase(String key, String... deps) {
        return StructuredPhase.newBuilder().setKey(key).setName("Phase " + key).setEstimatedTokens(1_000)
                .addAllDependsOn(List.of(deps)).build();
    }

    private static LeaseRef ref(Lease lease, String worker) {
        return LeaseRef.newBuilder().setRunId(lease.getRunId()).setPhaseKey(lease.getPhaseKey())
                .setEpoch(lease.getEpoch()).setWorkerId(worker).build();
    }

    private static RunPhase phase(Run run, String key) {
        return run.getPhasesList().stream().filter(p -> p.getKey().equals(key)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aClusterThatLostEveryMemberResumesFromTheDatabase(String database) throws Exception {
        String url = url(database);
        String runId;
        CoordinatorNode first = node(url, "durable-" + database);
        ManagedChannel channel = channel(first);
        try {
            LedgerServiceGrpc.newBlockingStub(channel).setBudget(SetBudgetRequest.newBuilder().setBudget(50_000)
                    .build());
            runId = RunServiceGrpc.newBlockingStub(channel).submit(SubmitRunRequest.newBuilder()
                    .setIdempotencyKey("durable-key")
                    .setStructured(StructuredRoadmap.newBuilder().addPhases(phase("a")).addPhases(phase("b", "a")))
                    .setOptions(RunOptions.newBuilder().setNoInfer(true)).build()).getRunId();
            WorkerServiceGrpc.WorkerServiceBlockingStub workers = WorkerServiceGrpc.newBlockingStub(channel);
            String worker = workers.register(RegisterWorkerRequest.newBuilder().setName("w").setSlots(2).build())
                    .getWorkerId();
            Lease a = workers.pollLease(PollLeaseRequest.newBuilder().setWorkerId(worker).setFreeSlots(2)
                    .setWaitMs(5_000).build()).getLeases(0);
            workers.completePhase(CompletePhaseRequest.newBuilder().setLease(ref(a, worker))
                    .setOutcome(Outcome.OUTCOME_SUCCEEDED).setTokensUsed(700).build());
            Lease b = workers.pollLease(PollLeaseRequest.newBuilder().setWorkerId(worker).setFreeSlots(2)
                    .setWaitMs(5_000).build()).getLeases(0);
            assertThat(b.getPhaseKey()).isEqualTo("b");
            workers.saveCheckpoint(SaveCheckpointRequest.newBuilder().setLease(ref(b, worker))
                    .setBlob(ByteString.copyFromUtf8("half of b")).setTokensSoFar(100).build());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            first.close();
        }

        CoordinatorNode second = node(url, "durable-again-" + database);
        channel = channel(second);
        try {
            Run run = RunServiceGrpc.newBlockingStub(channel).getRun(GetRunRequest.newBuilder().setRunId(runId)
                    .build());
            assertThat(phase(run, "a").getState()).as("the acknowledged completion").isEqualTo(PhaseState.PHASE_SUCCEEDED);
            assertThat(phase(run, "a").getTokens()).isEqualTo(700);
            assertThat(LedgerServiceGrpc.newBlockingStub(channel).getLedger(GetLedgerRequest.getDefaultInstance())
                    .getBudget()).isEqualTo(50_000);
            assertThat(RunServiceGrpc.newBlockingStub(channel).submit(SubmitRunRequest.newBuilder()
                    .setIdempotencyKey("durable-key")
                    .setStructured(StructuredRoadmap.newBuilder().addPhases(phase("a")))
                    .build()).getRunId()).as("the idempotency key survived").isEqualTo(runId);

            WorkerServiceGrpc.WorkerServiceBlockingStub workers = WorkerServiceGrpc.newBlockingStub(channel);
            String worker = workers.register(RegisterWorkerRequest.newBuilder().setName("w2").setSlots(2).build())
                    .getWorkerId();
            // b's lease from before the restart expires after its TTL, then b is leased again
            Lease resumed = null;
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (resumed == null && System.nanoTime() < until) {
                List<Lease> leases = workers.pollLease(PollLeaseRequest.newBuilder().setWorkerId(worker)
                        .setFreeSlots(2).setWaitMs(5_000).build()).getLeasesList();
                resumed = leases.isEmpty() ? null : leases.get(0);
            }
            assertThat(resumed).as("b leased again after its old lease expired").isNotNull();
            assertThat(resumed.getPhaseKey()).isEqualTo("b");
            assertThat(resumed.getCheckpoint().toStringUtf8()).as("from its checkpoint").isEqualTo("half of b");
            assertThat(resumed.getEpoch()).isGreaterThan(1);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            second.close();
        }
    }

    @Test
    void whileTheDatabaseIsAwayNothingIsAcknowledgedAndItRecoversWhenBack() throws Exception {
        String url = url("postgresql"); // a server that can go away
        CoordinatorNode node = node(url, "db-away");
        ManagedChannel channel = channel(node);
        try {
            LedgerServiceGrpc.LedgerServiceBlockingStub ledger = LedgerServiceGrpc.newBlockingStub(channel);
            ledger.setBudget(SetBudgetRequest.newBuilder().setBudget(1_000).build());
            postgres.stopServer();
            StatusRuntimeException refused = catchThrowableOfType(() -> ledger.setBudget(
                    SetBudgetRequest.newBuilder().setBudget(2_000).build()), StatusRuntimeException.class);
            assertThat(refused.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.INTERNAL);
            postgres.startAgain();
            ledger.setBudget(SetBudgetRequest.newBuilder().setBudget(3_000).build());
            assertThat(ledger.getLedger(GetLedgerRequest.getDefaultInstance()).getBudget()).isEqualTo(3_000);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            node.close();
        }
    }
}
