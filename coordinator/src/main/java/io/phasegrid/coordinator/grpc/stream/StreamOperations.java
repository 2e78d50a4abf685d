package io.phasegrid.coordinator.grpc.stream;

import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResponse;
import io.phasegrid.proto.v1.CompletePhasesRequest;
import io.phasegrid.proto.v1.CompletePhasesResponse;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.OperationError;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RegisterWorkerResponse;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SaveCheckpointResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The {@code WorkerService} operations a {@code Connect} stream carries, in proto terms: what a {@link WorkerStream}
 * dispatches its messages to. The blocking ones are called on the stream pool, the reports never block.
 */
public interface StreamOperations {

    RegisterWorkerResponse register(RegisterWorkerRequest request);

    /** A long poll that gives up once {@code cancelled} (the stream went away). */
    PollLeaseResponse poll(PollLeaseRequest request, BooleanSupplier cancelled) throws InterruptedException;

    /** Hands back leases whose answer could not be delivered. */
    void abandon(PollLeaseResponse leases, String why);

    HeartbeatResponse heartbeat(HeartbeatRequest request);

    SaveCheckpointResponse checkpoint(SaveCheckpointRequest request);

    /** Completes when the report's batch is applied; never blocks the caller. */
    CompletableFuture<CompletePhaseResponse> complete(CompletePhaseRequest request);

    /** Each report on its own; completes when all are answered. */
    CompletableFuture<CompletePhasesResponse> completeAll(CompletePhasesRequest request);

    /** How a failed operation is answered on the stream: the status a unary call would have had. */
    OperationError error(Throwable failure);

    /** Makes every waiting poll look at its cancellation now. */
    void wakePolls();
}
