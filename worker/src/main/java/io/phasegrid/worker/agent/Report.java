package io.phasegrid.worker.agent;

import com.google.protobuf.ByteString;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.worker.executor.PhaseOutcome;
import java.util.List;

/** What the agent tells the coordinator about a held lease: a checkpoint, or its completion (the last report). */
sealed interface Report permits Report.Checkpoint, Report.Completion {

    HeldLease phase();

    String kind();

    void send(CoordinatorLink link);

    /** Plans completed so far (cumulative); {@code seq} orders a lease's checkpoints. */
    record Checkpoint(HeldLease phase, long seq, List<String> plans, byte[] blob, long tokens, String commit)
            implements Report {
        @Override
        public String kind() {
            return "checkpoint";
        }

        @Override
        public void send(CoordinatorLink link) {
            link.checkpoint(SaveCheckpointRequest.newBuilder()
                    .setLease(phase.ref)
                    .addAllCompletedPlans(plans)
                    .setBlob(ByteString.copyFrom(blob))
                    .setTokensSoFar(ReportLimits.tokens(tokens))
                    .setCommit(commit)
                    .build());
        }
    }

    /**
     * The last report. {@code onAccepted} runs (off the report thread) once the coordinator accepted it.
     */
    record Completion(HeldLease phase, Outcome outcome, long tokens, String error, String resultCommit,
            List<String> conflictPaths, String deliveryNote, Runnable onAccepted) implements Report {

        Completion(HeldLease phase, Outcome outcome, long tokens, String error) {
            this(phase, outcome, tokens, error, "", List.of(), "", PhaseOutcome.NO_ACTION);
        }

        @Override
        public String kind() {
            return "completion";
        }

        @Override
        public void send(CoordinatorLink link) {
            link.complete(request());
        }

        CompletePhaseRequest request() {
            return CompletePhaseRequest.newBuilder()
                    .setLease(phase.ref)
                    .setOutcome(outcome)
                    .setTokensUsed(ReportLimits.tokens(tokens))
                    .setError(error)
                    .setResultCommit(resultCommit)
                    .addAllConflictPaths(conflictPaths)
                    .setDeliveryNote(deliveryNote)
                    .build();
        }
    }
}
