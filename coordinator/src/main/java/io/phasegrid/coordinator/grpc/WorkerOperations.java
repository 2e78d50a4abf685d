package io.phasegrid.coordinator.grpc;

import io.grpc.StatusRuntimeException;
import io.phasegrid.coordinator.grpc.stream.StreamOperations;
import io.phasegrid.coordinator.lease.LeaseKey;
import io.phasegrid.coordinator.lease.LeaseOffer;
import io.phasegrid.coordinator.lease.WorkerGateway;
import io.phasegrid.coordinator.lease.WorkerRegistration;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResponse;
import io.phasegrid.proto.v1.CompletePhaseResult;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * The WorkerService operations, proto <-> {@link WorkerGateway}: what the unary calls and the {@code Connect} stream
 * both run. Checks each request against {@link WorkerRequestLimits} first. Long polls are capped at
 * {@link #MAX_WAIT_MS}.
 */
final class WorkerOperations implements StreamOperations {

    static final long MAX_WAIT_MS = 30_000;

    private final WorkerGateway gateway;

    WorkerOperations(WorkerGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public RegisterWorkerResponse register(RegisterWorkerRequest request) {
        WorkerRequestLimits.register(request);
        WorkerRegistration registration =
                gateway.register(request.getName(), request.getSlots(), request.getLabelsMap());
        return RegisterWorkerResponse.newBuilder()
                .setWorkerId(registration.workerId())
                .setHeartbeatIntervalMs(registration.heartbeatIntervalMs())
                .setLeaseTtlMs(registration.leaseTtlMs())
                .build();
    }

    /**
     * A long poll. One whose caller went away (worker drained or died, stream closed) must not lease phases to
     * nobody: the gateway stops trying once {@code cancelled}, and what a cancellation during the last lease call
     * still granted is handed back at once.
     */
    @Override
    public PollLeaseResponse poll(PollLeaseRequest request, BooleanSupplier cancelled) throws InterruptedException {
        WorkerRequestLimits.poll(request);
        long wait = Math.min(MAX_WAIT_MS, request.getWaitMs());
        List<LeaseOffer> offers = gateway.poll(request.getWorkerId(), request.getFreeSlots(), wait, cancelled);
        if (cancelled.getAsBoolean()) {
            abandon(offers.stream().map(LeaseOffer::key).toList(), "poll cancelled before delivery");
            return PollLeaseResponse.getDefaultInstance();
        }
        PollLeaseResponse.Builder response = PollLeaseResponse.newBuilder();
        offers.forEach(offer -> response.addLeases(LeaseProtoMapper.lease(offer)));
        return response.build();
    }

    @Override
    public void abandon(PollLeaseResponse leases, String why) {
        abandon(LeaseProtoMapper.keys(leases), why);
    }

    /** Hands leases nobody will receive back at once (READY again, no failure counted). */
    private void abandon(List<LeaseKey> leases, String why) {
        for (LeaseKey lease : leases) {
            try {
                gateway.complete(lease, Outcome.ABANDONED, 0, why);
            } catch (RuntimeException e) {
                // expired or cancelled meanwhile: nothing to hand back
            }
        }
    }

    @Override
    public HeartbeatResponse heartbeat(HeartbeatRequest request) {
        WorkerRequestLimits.heartbeat(request);
        List<LeaseKey> keys = request.getLeasesList().stream().map(LeaseProtoMapper::key).toList();
        HeartbeatResponse.Builder response = HeartbeatResponse.newBuilder();
        LeaseProtoMapper.addStatuses(response,
                gateway.heartbeat(request.getWorkerId(), keys, request.getSlots(), request.getBusySlots()));
        return response.build();
    }

    @Override
    public SaveCheckpointResponse checkpoint(SaveCheckpointRequest request) {
        WorkerRequestLimits.checkpoint(request);
        return SaveCheckpointResponse.newBuilder()
                .setExpiresAtMs(gateway.checkpoint(LeaseProtoMapper.reporter(request.getLease()),
                        LeaseProtoMapper.key(request.getLease()), request.getCompletedPlansList(),
                        request.getBlob().toByteArray(), request.getTokensSoFar(), request.getCommit()))
                .build();
    }

    /** Answers when the report's batch is applied (see the gateway's group commit); never blocks the caller. */
    @Override
    public CompletableFuture<CompletePhaseResponse> complete(CompletePhaseRequest request) {
        try {
            WorkerRequestLimits.complete(request);
            return gateway.completeAsync(LeaseProtoMapper.reporter(request.getLease()),
                            LeaseProtoMapper.key(request.getLease()), LeaseProtoMapper.outcome(request),
                            request.getTokensUsed(), WorkerRequestLimits.errorText(request.getError()),
                            LeaseProtoMapper.gitReport(request))
                    .thenApply(state -> CompletePhaseResponse.newBuilder()
                            .setPhaseState(RunProtoMapper.phaseState(state)).build());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Each report goes to the group commit on its own; the answer waits for all of them. */
    @Override
    public CompletableFuture<CompletePhasesResponse> completeAll(CompletePhasesRequest request) {
        try {
            WorkerRequestLimits.completeAll(request);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<CompletePhaseResult>> results = new ArrayList<>(request.getReportsCount());
        for (CompletePhaseRequest report : request.getReportsList()) {
            results.add(complete(report).handle((response, error) -> error == null
                    ? CompletePhaseResult.newBuilder().setCompleted(response).build()
                    : CompletePhaseResult.newBuilder().setError(error(error)).build()));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
            CompletePhasesResponse.Builder response = CompletePhasesResponse.newBuilder();
            results.forEach(r -> response.addResults(r.join()));
            return response.build();
        });
    }

    @Override
    public OperationError error(Throwable failure) {
        StatusRuntimeException status = GrpcCalls.toStatus(unwrap(failure));
        return OperationError.newBuilder()
                .setCode(status.getStatus().getCode().value())
                .setMessage(String.valueOf(status.getStatus().getDescription()))
                .build();
    }

    @Override
    public void wakePolls() {
        gateway.wakePolls();
    }

    static Exception unwrap(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof Exception ex ? ex : new IllegalStateException(e);
    }
}
