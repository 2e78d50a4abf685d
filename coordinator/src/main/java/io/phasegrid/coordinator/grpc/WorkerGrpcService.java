package io.phasegrid.coordinator.grpc;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.auth.AuthInterceptor;
import io.phasegrid.coordinator.grpc.stream.WorkerStreams;
import io.phasegrid.coordinator.lease.WorkerGateway;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResponse;
import io.phasegrid.proto.v1.CoordinatorMessage;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RegisterWorkerResponse;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SaveCheckpointResponse;
import io.phasegrid.proto.v1.WorkerMessage;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.util.concurrent.TimeUnit;

/**
 * WorkerService: proto <-> {@link WorkerGateway}, as unary calls and as the {@code Connect} stream (the same
 * {@link WorkerOperations}, answered by correlation id; the stream plumbing is {@link WorkerStreams}).
 */
public final class WorkerGrpcService extends WorkerServiceGrpc.WorkerServiceImplBase {

    private final WorkerGateway gateway;
    private final WorkerStreams streams;

    public WorkerGrpcService(WorkerGateway gateway) {
        this.gateway = gateway;
        this.streams = new WorkerStreams(this::operations);
    }

    /** The operations of the current call's principal: its workers only (see {@link WorkerGateway#boundTo}). */
    private WorkerOperations operations() {
        return new WorkerOperations(gateway.boundTo(AuthInterceptor.caller().name()));
    }

    @Override
    public void register(RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> responses) {
        GrpcCalls.unary(responses, () -> operations().register(request));
    }

    @Override
    public void pollLease(PollLeaseRequest request, StreamObserver<PollLeaseResponse> responses) {
        WorkerOperations operations = operations();
        Context call = Context.current();
        // a caller that goes away (cancel, deadline) ends its long poll now, not at the end of its wait
        Context.CancellationListener wake = ignored -> operations.wakePolls();
        call.addListener(wake, Runnable::run);
        try {
            GrpcCalls.unary(responses, () -> operations.poll(request, call::isCancelled));
        } finally {
            call.removeListener(wake);
        }
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> responses) {
        GrpcCalls.unary(responses, () -> operations().heartbeat(request));
    }

    @Override
    public void saveCheckpoint(SaveCheckpointRequest request, StreamObserver<SaveCheckpointResponse> responses) {
        GrpcCalls.unary(responses, () -> operations().checkpoint(request));
    }

    @Override
    public void completePhase(CompletePhaseRequest request, StreamObserver<CompletePhaseResponse> responses) {
        operations().complete(request).whenComplete((response, error) -> {
            if (error != null) {
                responses.onError(GrpcCalls.toStatus(WorkerOperations.unwrap(error)));
            } else {
                responses.onNext(response);
                responses.onCompleted();
            }
        });
    }

    /** The five operations on one stream per worker; see {@code grpc.stream.WorkerStream}. */
    @Override
    public StreamObserver<WorkerMessage> connect(StreamObserver<CoordinatorMessage> responses) {
        return streams.open(responses);
    }

    /** Connect streams open on this service now. */
    public int openStreams() {
        return streams.openCount();
    }

    /** Before the server stops: ends every open {@code Connect} stream and stops the stream pool. */
    public void endStreams() {
        streams.endAll();
    }

    /** Waits for the stream operations still running (a poll that returns late hands its leases back). */
    public void awaitStreamWork(long timeout, TimeUnit unit) throws InterruptedException {
        streams.awaitWork(timeout, unit);
    }
}
