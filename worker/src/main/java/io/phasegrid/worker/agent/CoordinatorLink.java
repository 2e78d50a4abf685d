package io.phasegrid.worker.agent;

import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResponse;
import io.phasegrid.proto.v1.CompletePhaseResult;
import io.phasegrid.proto.v1.OperationError;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RegisterWorkerResponse;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SaveCheckpointResponse;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's connection to one coordinator member: the five operations of {@code WorkerService}, over the
 * {@code Connect} stream ({@link StreamCoordinatorLink}, the default) or the unary RPCs ({@link GrpcCoordinatorLink}).
 *
 * <p>Every method blocks until the answer arrives and is called concurrently from several agent threads. A failure
 * is a {@link io.grpc.StatusRuntimeException} with the status a unary call would have: {@code UNAVAILABLE} or
 * {@code DEADLINE_EXCEEDED} make the agent reconnect, {@code FAILED_PRECONDITION} (stale lease epoch) makes it drop
 * the report. An interrupt of the calling thread must end the call promptly (the agent interrupts its poller to
 * stop polling).
 */
public interface CoordinatorLink extends AutoCloseable {

    /** The address this link talks to ({@code host:port}). */
    String address();

    RegisterWorkerResponse register(RegisterWorkerRequest request);

    PollLeaseResponse poll(PollLeaseRequest request);

    HeartbeatResponse heartbeat(HeartbeatRequest request);

    SaveCheckpointResponse checkpoint(SaveCheckpointRequest request);

    CompletePhaseResponse complete(CompletePhaseRequest request);

    /**
     * Several reports at once; one result per report, in order. A failure of one report (stale lease, transport)
     * is its result's error, never an exception; an exception means no answer came back (the reports may or may not
     * have been applied: one sent again after being applied is refused as already reported). This default sends
     * them one by one (the unary calls have no batch).
     */
    default List<CompletePhaseResult> completeAll(List<CompletePhaseRequest> requests) {
        List<CompletePhaseResult> results = new ArrayList<>(requests.size());
        for (CompletePhaseRequest request : requests) {
            try {
                results.add(CompletePhaseResult.newBuilder().setCompleted(complete(request)).build());
            } catch (StatusRuntimeException e) {
                results.add(CompletePhaseResult.newBuilder().setError(OperationError.newBuilder()
                        .setCode(e.getStatus().getCode().value())
                        .setMessage(String.valueOf(e.getStatus().getDescription()))).build());
            }
        }
        return results;
    }

    /** Releases the connection; calls in flight fail. Idempotent. */
    @Override
    void close();

    /** Opens links; {@link #connect} must not block on the network (the first call does). */
    @FunctionalInterface
    interface Factory {
        CoordinatorLink connect(String address);
    }
}
