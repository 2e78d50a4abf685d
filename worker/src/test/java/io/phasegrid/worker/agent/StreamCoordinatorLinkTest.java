package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.ScriptedCoordinator.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PollLeaseRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class StreamCoordinatorLinkTest {

    private ScriptedCoordinator coordinator;

    @AfterEach
    void stop() throws Exception {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void aPollAnswerThatArrivesAfterTheCallGaveUpIsHandedBackAsAbandonedNotLeftToExpire() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.onPoll(poll -> {
            try {
                Thread.sleep(1_000); // longer than the call's deadline (wait 0 + RPC timeout 300 ms)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        coordinator.offer(lease("01", 1_000));
        try (StreamCoordinatorLink link = new StreamCoordinatorLink(coordinator.addresses().get(0),
                Duration.ofMillis(300))) {
            assertThatThrownBy(() -> link.poll(PollLeaseRequest.newBuilder().setWorkerId("w-late").setFreeSlots(1)
                    .setWaitMs(0).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));

            await().atMost(Duration.ofSeconds(10)).until(() -> !coordinator.completionsOf("01").isEmpty());
            CompletePhaseRequest handedBack = coordinator.completionsOf("01").get(0);
            assertThat(handedBack.getOutcome()).isEqualTo(Outcome.OUTCOME_ABANDONED);
            assertThat(handedBack.getLease().getWorkerId()).isEqualTo("w-late");
        }
    }

    @Test
    void anOperationErrorBecomesTheStatusAUnaryCallWouldHaveAndTheStreamStaysUsable() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.refuseCompletionsAsStale(r -> r.getLease().getPhaseKey().equals("stale"));
        try (StreamCoordinatorLink link = new StreamCoordinatorLink(coordinator.addresses().get(0),
                Duration.ofSeconds(2))) {
            CompletePhaseRequest.Builder report = CompletePhaseRequest.newBuilder()
                    .setOutcome(Outcome.OUTCOME_SUCCEEDED);
            report.getLeaseBuilder().setRunId("r").setPhaseKey("stale").setEpoch(1).setWorkerId("w");

            assertThatThrownBy(() -> link.complete(report.build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
            report.getLeaseBuilder().setPhaseKey("fresh");
            assertThat(link.complete(report.build()).getPhaseState())
                    .isEqualTo(io.phasegrid.proto.v1.PhaseState.PHASE_SUCCEEDED);
        }
    }
}
