package io.phasegrid.worker.agent;

import com.google.protobuf.ByteString;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import java.util.List;

/** What the agent tells the coordinator about a held lease: a checkpoint, or its completion (the last report). */
sealed interface Report permits Report.Checkpoint, Report.Completion {

    HeldLease phase();

    String kind();

    void send(CoordinatorLink link);

    /** Plans completed so far (cumulative); {@code seq} orders a lease's checkpoints. */
    record Checkpoint(HeldLease phase, long seq, List<String> plans, byte[] blob, long tokens) implements Report {
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
                    .build());
        }
    }

    record Completion(HeldLease phase, Outcome outcome, long tokens, String error) implements Report {
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
                    .build();
        }
    }
}
