package io.phasegrid.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.phasegrid.cli.CliRun;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.lease.LeaseTimings;
import io.phasegrid.coordinator.node.CoordinatorNode;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.ListWorkersRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.SetBudgetRequest;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.WorkerInfo;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import io.phasegrid.worker.agent.WorkerAgent;
import io.phasegrid.worker.agent.WorkerOptions;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.executor.PhaseOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} and {@code watch} show the workers' utilisation and the ledger next to the run, against a real
 * coordinator (Hazelcast member + gRPC on loopback) with a real worker whose one phase runs until the test lets it
 * finish, and a second worker that registered and then went silent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class StatusCommandTest {

    private static final LeaseTimings TIMINGS = new LeaseTimings(100, 2_000);
    private static final long ESTIMATE = 10_000;

    @TempDir
    Path workspaces;

    private final CountDownLatch finish = new CountDownLatch(1);
    private CoordinatorNode node;
    private String address;
    private ManagedChannel channel;
    private WorkerAgent worker;
    private String runId;

    /** Runs each phase until {@link #finish} opens (or the phase is stopped). */
    private PhaseExecutor heldOpen() {
        return (task, listener) -> {
            while (!finish.await(PhaseExecutor.CANCEL_POLL_MS, TimeUnit.MILLISECONDS)) {
                if (listener.cancelled()) {
                    return PhaseOutcome.abandoned(0);
                }
            }
            return PhaseOutcome.succeeded(ESTIMATE);
        };
    }

    @BeforeAll
    void aRunningPhaseOnOneWorkerAndASilentOne() throws Exception {
        node = CoordinatorNode.start(new CoordinatorNode.Options(
                ClusterSettings.builder().clusterName("status-" + UUID.randomUUID()).build(), "127.0.0.1", 0,
                TIMINGS, Duration.ofMillis(100), SubmissionLimits.defaults()));
        address = "127.0.0.1:" + node.grpcPort();
        channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
        LedgerServiceGrpc.newBlockingStub(channel).setBudget(SetBudgetRequest.newBuilder().setBudget(100_000).build());
        WorkerServiceGrpc.WorkerServiceBlockingStub workers = WorkerServiceGrpc.newBlockingStub(channel);
        workers.register(RegisterWorkerRequest.newBuilder().setName("silent").setSlots(3).build());
        worker = new WorkerAgent(WorkerOptions.builder()
                .name("busy-one")
                .slots(2)
                .coordinators(List.of(address))
                .pollWait(Duration.ofMillis(200))
                .drainGrace(Duration.ZERO)
                .workspaceRoot(workspaces)
                .build(), heldOpen()).start();
        runId = RunServiceGrpc.newBlockingStub(channel).submit(SubmitRunRequest.newBuilder()
                .setStructured(StructuredRoadmap.newBuilder().addPhases(StructuredPhase.newBuilder()
                        .setKey("solo").setName("The only phase").setEstimatedTokens(ESTIMATE)))
                .build()).getRunId();
        // a heartbeat carried the busy slot, and the silent worker missed three heartbeat intervals
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<WorkerInfo> listed = workers.listWorkers(ListWorkersRequest.getDefaultInstance()).getWorkersList();
            return listed.size() == 2 && listed.get(0).getBusySlots() == 1 && !listed.get(1).getConnected();
        });
    }

    @AfterAll
    void stop() throws Exception {
        finish.countDown();
        if (worker != null) {
            worker.drain(Duration.ZERO);
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void statusPrintsEachWorkersBusySlotsTheClusterTotalAndTheLedgerAfterTheRun() {
        CliRun status = CliRun.of("status", runId, "--coordinator", address);

        assertThat(status.exitCode()).as(status.err()).isZero();
        List<String> lines = status.out().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Run " + runId + " RUNNING"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("WORKER\\s+STATE\\s+BUSY/SLOTS\\s+LAST SEEN"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("busy-one\\s+connected\\s+1/2\\s+\\d+\\.\\ds ago"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("silent\\s+disconnected\\s+-/3\\s+\\d+\\.\\ds ago"));
        assertThat(lines).contains("Workers: 1 of 2 slots busy (50%), 1 of 2 connected");
        assertThat(lines).contains("Ledger: budget 100,000, reserved 10,000, used 0, remaining 90,000, level OK");
        assertThat(indexOfLineStartingWith(lines, "WORKER")).as("after the run's summary")
                .isGreaterThan(indexOfLineStartingWith(lines, "Run "));
    }

    @Test
    @Order(2)
    void statusJsonKeepsTheRunsFieldsAndAddsWorkersAndLedger() throws Exception {
        CliRun status = CliRun.of("status", runId, "--json", "--coordinator", address);

        assertThat(status.exitCode()).as(status.err()).isZero();
        JsonNode run = new ObjectMapper().readTree(status.out());
        assertThat(run.get("runId").asText()).isEqualTo(runId);
        assertThat(run.get("state").asText()).isEqualTo("RUNNING");
        assertThat(run.get("phases").get(0).get("key").asText()).isEqualTo("solo");
        assertThat(run.get("phases").get(0).get("worker").asText()).isEqualTo("busy-one");
        assertThat(fieldNames(run)).containsSubsequence("runId", "name", "state", "phases", "makespanMs",
                "maxParallelism", "fallbacks", "tokens", "workers", "ledger");
        JsonNode workers = run.get("workers");
        assertThat(workers.get("slots").asInt()).isEqualTo(2);
        assertThat(workers.get("busySlots").asInt()).isEqualTo(1);
        assertThat(workers.get("connected").asInt()).isEqualTo(1);
        assertThat(workers.get("disconnectedAfterMs").asLong()).isEqualTo(3 * TIMINGS.heartbeatIntervalMs());
        assertThat(workers.get("list")).hasSize(2);
        assertThat(workers.get("list").get(0).get("name").asText()).isEqualTo("busy-one");
        assertThat(workers.get("list").get(0).get("busySlots").asInt()).isEqualTo(1);
        assertThat(workers.get("list").get(0).get("slots").asInt()).isEqualTo(2);
        assertThat(workers.get("list").get(0).get("connected").asBoolean()).isTrue();
        assertThat(workers.get("list").get(1).get("name").asText()).isEqualTo("silent");
        assertThat(workers.get("list").get(1).get("connected").asBoolean()).isFalse();
        JsonNode ledger = run.get("ledger");
        assertThat(ledger.get("budget").asLong()).isEqualTo(100_000);
        assertThat(ledger.get("reserved").asLong()).isEqualTo(ESTIMATE);
        assertThat(ledger.get("used").asLong()).isZero();
        assertThat(ledger.get("remaining").asLong()).isEqualTo(90_000);
        assertThat(ledger.get("level").asText()).isEqualTo("OK");
    }

    @Test
    @Order(3)
    void watchEndsWithTheRunTheWorkersAndTheLedger() {
        finish.countDown();

        CliRun watch = CliRun.of("watch", runId, "--coordinator", address);

        assertThat(watch.exitCode()).as(watch.err()).isZero();
        assertThat(watch.out()).contains("Run " + runId + " SUCCEEDED")
                .containsPattern("busy-one\\s+connected\\s+\\d/2")
                .containsPattern("Workers: \\d of 2 slots busy")
                .containsPattern("Ledger: budget 100,000, reserved [\\d,]+, used [\\d,]+, remaining [\\d,]+, level OK");
    }

    private static int indexOfLineStartingWith(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
