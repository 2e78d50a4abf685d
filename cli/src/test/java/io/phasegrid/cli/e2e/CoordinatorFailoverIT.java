package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.RunState;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md: a worker survives a coordinator member's death. Two coordinator processes form one Hazelcast cluster;
 * the worker streams to the first, which is killed (SIGKILL) while phases run. The worker goes on with the second
 * member, the run's state survives in the backups, and the run succeeds with every phase's tokens charged once.
 */
class CoordinatorFailoverIT {

    @TempDir
    Path dir;

    private Cluster cluster;
    private Cluster.Member second;

    @RegisterExtension
    final PrintLogsOnFailure logs = new PrintLogsOnFailure(() -> cluster);

    @AfterEach
    void stop() throws InterruptedException {
        if (second != null) {
            second.channel().shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aWorkerWhoseCoordinatorIsKilledGoesOnWithTheOtherMemberAndTheRunSucceeds() throws Exception {
        cluster = Cluster.start(dir, "e2e-failover");
        second = cluster.startMember("coordinator-2");
        // 1,000 tokens = 1 s: phases still run when the first member dies
        Cluster.Node worker = cluster.startWorkerOn(cluster.address() + "," + second.address(), "survivor",
                java.util.Map.of(), "--slots", "2", "--executor", "simulate", "--time-scale", "1000");
        StructuredRoadmap.Builder roadmap = StructuredRoadmap.newBuilder();
        for (int i = 1; i <= 6; i++) {
            roadmap.addPhases(StructuredPhase.newBuilder().setKey("0" + i).setName("Phase " + i)
                    .setEstimatedTokens(1_000));
        }
        String runId = cluster.runs().submit(SubmitRunRequest.newBuilder().setStructured(roadmap).build())
                .getRunId();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cluster.runs()
                .getRun(GetRunRequest.newBuilder().setRunId(runId).build()).getPhasesList().stream()
                .anyMatch(p -> p.getState() == PhaseState.PHASE_SUCCEEDED));

        cluster.kill(cluster.coordinator());

        RunServiceGrpc.RunServiceBlockingStub runs = RunServiceGrpc.newBlockingStub(second.channel());
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> runs.withDeadlineAfter(10, TimeUnit.SECONDS).getRun(GetRunRequest.newBuilder()
                            .setRunId(runId).build()).getState() == RunState.RUN_SUCCEEDED);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String state;
            try {
                state = runs.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getRun(GetRunRequest.newBuilder().setRunId(runId).build()).toString();
            } catch (RuntimeException unreadable) {
                state = "unreadable: " + unreadable;
            }
            throw new AssertionError("run not SUCCEEDED after the failover: " + state + "\n--- second member:\n"
                    + second.node().output() + "\n--- worker:\n" + worker.output(), e);
        }
        Run run = runs.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
        // it was streaming to the first member (the only other one left is the second, which finished the run)
        assertThat(worker.output()).as("the worker lost the first member").contains("lost " + cluster.address());
        assertThat(run.getPhasesList()).allSatisfy(p -> assertThat(p.getState()).isEqualTo(PhaseState.PHASE_SUCCEEDED));
        long charged = run.getPhasesList().stream().mapToLong(RunPhase::getTokens).sum();
        assertThat(LedgerServiceGrpc.newBlockingStub(second.channel()).getLedger(GetLedgerRequest.getDefaultInstance())
                .getUsed()).as("each phase charged once on the surviving member's ledger").isEqualTo(charged);
    }
}
