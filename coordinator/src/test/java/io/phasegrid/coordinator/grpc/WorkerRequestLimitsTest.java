package io.phasegrid.coordinator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhasesRequest;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every limit worker.proto states, at and just past its edge: within it passes, past it is refused, briefly. */
class WorkerRequestLimitsTest {

    private static final String HUGE = "h".repeat(64 * 1024);
    private static final LeaseRef REF = LeaseRef.newBuilder().setRunId("r-1").setPhaseKey("02.1").setEpoch(1)
            .setWorkerId("w-1").build();
    private static final RegisterWorkerRequest REGISTER = RegisterWorkerRequest.newBuilder().setName("n")
            .setSlots(1).build();
    private static final PollLeaseRequest POLL = PollLeaseRequest.newBuilder().setWorkerId("w-1").setFreeSlots(1)
            .build();
    private static final HeartbeatRequest HEARTBEAT = HeartbeatRequest.newBuilder().setWorkerId("w-1").setSlots(2)
            .setBusySlots(1).addLeases(REF).build();
    private static final SaveCheckpointRequest CHECKPOINT = SaveCheckpointRequest.newBuilder().setLease(REF)
            .addCompletedPlans("02-01").build();
    private static final CompletePhaseRequest COMPLETE = CompletePhaseRequest.newBuilder().setLease(REF)
            .setOutcome(Outcome.OUTCOME_SUCCEEDED).setTokensUsed(5).build();

    private static Arguments ok(String name, Runnable check) {
        return Arguments.of(name, check, true);
    }

    private static Arguments refused(String name, Runnable check) {
        return Arguments.of(name, check, false);
    }

    private static CompletePhaseRequest conflict(int paths, int chars) {
        CompletePhaseRequest.Builder r = COMPLETE.toBuilder().setOutcome(Outcome.OUTCOME_CONFLICT);
        IntStream.range(0, paths).forEach(i -> r.addConflictPaths(String.format("%0" + chars + "d", i)));
        return r.build();
    }

    @Test
    void aDeliveryNoteIsCutNeverRefused() {
        assertThat(WorkerRequestLimits.deliveryNote("main fast-forwarded")).isEqualTo("main fast-forwarded");
        assertThat(WorkerRequestLimits.deliveryNote(HUGE)).hasSize(WorkerRequestLimits.MAX_DELIVERY_NOTE_CHARS);
    }

    private static RegisterWorkerRequest labels(int count) {
        RegisterWorkerRequest.Builder r = REGISTER.toBuilder();
        IntStream.range(0, count).forEach(i -> r.putLabels("k" + i, "v"));
        return r.build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                ok("a plain registration", () -> WorkerRequestLimits.register(REGISTER)),
                ok("a 256-character name", () -> WorkerRequestLimits.register(REGISTER.toBuilder()
                        .setName("n".repeat(256)).build())),
                refused("a 257-character name", () -> WorkerRequestLimits.register(REGISTER.toBuilder()
                        .setName("n".repeat(257)).build())),
                refused("a blank name", () -> WorkerRequestLimits.register(REGISTER.toBuilder().setName("  ")
                        .build())),
                refused("a 64 KB name", () -> WorkerRequestLimits.register(REGISTER.toBuilder().setName(HUGE)
                        .build())),
                ok("10,000 slots", () -> WorkerRequestLimits.register(REGISTER.toBuilder().setSlots(10_000)
                        .build())),
                refused("10,001 slots", () -> WorkerRequestLimits.register(REGISTER.toBuilder().setSlots(10_001)
                        .build())),
                refused("0 slots", () -> WorkerRequestLimits.register(REGISTER.toBuilder().setSlots(0).build())),
                ok("64 labels", () -> WorkerRequestLimits.register(labels(64))),
                refused("65 labels", () -> WorkerRequestLimits.register(labels(65))),
                refused("an empty label key", () -> WorkerRequestLimits.register(REGISTER.toBuilder()
                        .putLabels("", "v").build())),
                refused("a 129-character label key", () -> WorkerRequestLimits.register(REGISTER.toBuilder()
                        .putLabels("k".repeat(129), "v").build())),
                ok("a 1,024-character label value", () -> WorkerRequestLimits.register(REGISTER.toBuilder()
                        .putLabels("k", "v".repeat(1_024)).build())),
                refused("a 64 KB label value", () -> WorkerRequestLimits.register(REGISTER.toBuilder()
                        .putLabels(HUGE, HUGE).build())),

                ok("a plain poll", () -> WorkerRequestLimits.poll(POLL)),
                ok("a wait over the cap (capped, not refused)", () -> WorkerRequestLimits.poll(POLL.toBuilder()
                        .setWaitMs(Long.MAX_VALUE).build())),
                refused("a negative wait", () -> WorkerRequestLimits.poll(POLL.toBuilder().setWaitMs(-1).build())),
                refused("0 free slots", () -> WorkerRequestLimits.poll(POLL.toBuilder().setFreeSlots(0).build())),
                refused("negative free slots", () -> WorkerRequestLimits.poll(POLL.toBuilder()
                        .setFreeSlots(Integer.MIN_VALUE).build())),
                refused("a 64 KB worker id", () -> WorkerRequestLimits.poll(POLL.toBuilder().setWorkerId(HUGE)
                        .build())),

                ok("a plain heartbeat", () -> WorkerRequestLimits.heartbeat(HEARTBEAT)),
                ok("slots 0 = the registered ones", () -> WorkerRequestLimits.heartbeat(HEARTBEAT.toBuilder()
                        .setSlots(0).setBusySlots(0).build())),
                refused("negative slots", () -> WorkerRequestLimits.heartbeat(HEARTBEAT.toBuilder().setSlots(-1)
                        .build())),
                refused("negative busy slots", () -> WorkerRequestLimits.heartbeat(HEARTBEAT.toBuilder()
                        .setBusySlots(-1).build())),
                refused("busy over slots", () -> WorkerRequestLimits.heartbeat(HEARTBEAT.toBuilder()
                        .setBusySlots(3).build())),
                refused("a lease with a 64 KB phase key", () -> WorkerRequestLimits.heartbeat(HEARTBEAT.toBuilder()
                        .addLeases(REF.toBuilder().setPhaseKey(HUGE)).build())),

                ok("a plain checkpoint", () -> WorkerRequestLimits.checkpoint(CHECKPOINT)),
                ok("a 1 MiB blob", () -> WorkerRequestLimits.checkpoint(CHECKPOINT.toBuilder()
                        .setBlob(ByteString.copyFrom(new byte[1 << 20])).build())),
                refused("a 1 MiB + 1 blob", () -> WorkerRequestLimits.checkpoint(CHECKPOINT.toBuilder()
                        .setBlob(ByteString.copyFrom(new byte[(1 << 20) + 1])).build())),
                refused("1,001 completed plans", () -> WorkerRequestLimits.checkpoint(CHECKPOINT.toBuilder()
                        .addAllCompletedPlans(IntStream.range(0, 1_001).mapToObj(i -> "p" + i).toList()).build())),
                refused("a 64 KB plan id", () -> WorkerRequestLimits.checkpoint(CHECKPOINT.toBuilder()
                        .addCompletedPlans(HUGE).build())),
                refused("tokens_so_far 2^63-1", () -> WorkerRequestLimits.checkpoint(CHECKPOINT.toBuilder()
                        .setTokensSoFar(Long.MAX_VALUE).build())),
                refused("negative tokens_so_far", () -> WorkerRequestLimits.checkpoint(CHECKPOINT.toBuilder()
                        .setTokensSoFar(-1).build())),

                ok("a plain report", () -> WorkerRequestLimits.complete(COMPLETE)),
                ok("10^12 tokens", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setTokensUsed(1_000_000_000_000L).build())),
                ok("a 64 KB error text (cut, not refused)", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setError(HUGE).build())),
                refused("10^12 + 1 tokens", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setTokensUsed(1_000_000_000_001L).build())),
                refused("2^63-1 tokens", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setTokensUsed(Long.MAX_VALUE).build())),
                refused("negative tokens", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setTokensUsed(-1).build())),
                refused("outcome 99", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder().setOutcomeValue(99)
                        .build())),
                refused("no outcome", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setOutcome(Outcome.OUTCOME_UNSPECIFIED).build())),
                ok("a git success with its result commit", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setResultCommit("a".repeat(40)).build())),
                refused("a result commit of 39 hex", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setResultCommit("a".repeat(39)).build())),
                refused("a result commit in uppercase", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setResultCommit("A".repeat(40)).build())),
                ok("a conflict with 1,000 paths", () -> WorkerRequestLimits.complete(conflict(1_000, 1))),
                ok("a conflict path of 4,096 characters", () -> WorkerRequestLimits.complete(conflict(1, 4_096))),
                refused("a conflict without paths", () -> WorkerRequestLimits.complete(conflict(0, 1))),
                refused("a conflict with 1,001 paths", () -> WorkerRequestLimits.complete(conflict(1_001, 1))),
                refused("a conflict path of 4,097 characters", () -> WorkerRequestLimits.complete(conflict(1, 4_097))),
                refused("conflict paths on a success", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .addConflictPaths("a.txt").build())),
                ok("a checkpoint with a commit", () -> WorkerRequestLimits.checkpoint(CHECKPOINT.toBuilder()
                        .setCommit("0123456789abcdef0123456789abcdef01234567").build())),
                refused("a checkpoint commit that is a ref name", () -> WorkerRequestLimits.checkpoint(
                        CHECKPOINT.toBuilder().setCommit("refs/heads/main").build())),
                refused("a 64 KB run id", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setLease(REF.toBuilder().setRunId(HUGE)).build())),
                refused("a negative epoch", () -> WorkerRequestLimits.complete(COMPLETE.toBuilder()
                        .setLease(REF.toBuilder().setEpoch(-1)).build())),
                refused("10,001 reports in one message", () -> WorkerRequestLimits.completeAll(
                        CompletePhasesRequest.newBuilder().addAllReports(java.util.Collections.nCopies(10_001,
                                COMPLETE)).build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachLimitHoldsAtItsEdge(String name, Runnable check, boolean accepted) {
        if (accepted) {
            assertThatCode(check::run).doesNotThrowAnyException();
        } else {
            IllegalArgumentException e = catchThrowableOfType(check::run, IllegalArgumentException.class);
            assertThat(e).as("refused").isNotNull();
            assertThat(e.getMessage()).as("a short message").hasSizeLessThanOrEqualTo(300);
        }
    }

    @Test
    void aLongErrorTextIsCutWithAMarkerAndAShortOneKept() {
        assertThat(WorkerRequestLimits.errorText("exit 1")).isEqualTo("exit 1");
        String cut = WorkerRequestLimits.errorText(HUGE);
        assertThat(cut).hasSize(WorkerRequestLimits.MAX_ERROR_CHARS).startsWith("hhhh")
                .endsWith(" [... cut: 65536 characters in all]");
        String pairs = "\uD83D\uDE00".repeat(3_000); // never cut inside a surrogate pair
        String cutPairs = WorkerRequestLimits.errorText(pairs);
        int marker = cutPairs.indexOf(" [... cut");
        assertThat(Character.isHighSurrogate(cutPairs.charAt(marker - 1))).isFalse();
    }
}
