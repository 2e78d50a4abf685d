package io.phasegrid.coordinator.grpc;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.lease.LeaseKey;
import io.phasegrid.coordinator.lease.LeaseOffer;
import io.phasegrid.coordinator.lease.LeaseStatus;
import io.phasegrid.coordinator.lease.StaleLeaseException;
import io.phasegrid.coordinator.lease.WorkerGateway;
import io.phasegrid.coordinator.lease.WorkerRegistration;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResponse;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.LeasedPlan;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RegisterWorkerResponse;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SaveCheckpointResponse;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.util.List;

/** WorkerService: proto <-> {@link WorkerGateway}. Long polls are capped at {@link #MAX_WAIT_MS}. */
public final class WorkerGrpcService extends WorkerServiceGrpc.WorkerServiceImplBase {

    static final long MAX_WAIT_MS = 30_000;

    private final WorkerGateway gateway;

    public WorkerGrpcService(WorkerGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void register(RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> responses) {
        GrpcCalls.unary(responses, () -> {
            if (request.getSlots() < 1) {
                throw new IllegalArgumentException("slots must be at least 1, was " + request.getSlots());
            }
            WorkerRegistration registration =
                    gateway.register(request.getName(), request.getSlots(), request.getLabelsMap());
            return RegisterWorkerResponse.newBuilder()
                    .setWorkerId(registration.workerId())
                    .setHeartbeatIntervalMs(registration.heartbeatIntervalMs())
                    .setLeaseTtlMs(registration.leaseTtlMs())
                    .build();
        });
    }

    @Override
    public void pollLease(PollLeaseRequest request, StreamObserver<PollLeaseResponse> responses) {
        GrpcCalls.unary(responses, () -> {
            long wait = Math.max(0, Math.min(MAX_WAIT_MS, request.getWaitMs()));
            // A long poll whose caller went away (worker drained or died) must not lease phases to nobody: the
            // gateway stops trying once the call is cancelled, and what a cancellation during the last lease call
            // still granted is handed back at once.
            Context call = Context.current();
            List<LeaseOffer> offers = gateway.poll(request.getWorkerId(), request.getFreeSlots(), wait,
                    call::isCancelled);
            if (call.isCancelled()) {
                for (LeaseOffer offer : offers) {
                    gateway.complete(offer.key(), Outcome.ABANDONED, 0, "poll cancelled before delivery");
                }
                return PollLeaseResponse.getDefaultInstance();
            }
            PollLeaseResponse.Builder response = PollLeaseResponse.newBuilder();
            offers.forEach(offer -> response.addLeases(lease(offer)));
            return response.build();
        });
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> responses) {
        GrpcCalls.unary(responses, () -> {
            List<LeaseKey> keys = request.getLeasesList().stream().map(WorkerGrpcService::key).toList();
            HeartbeatResponse.Builder response = HeartbeatResponse.newBuilder();
            for (LeaseStatus status : gateway.heartbeat(request.getWorkerId(), keys, request.getSlots(),
                    request.getBusySlots())) {
                response.addLeases(io.phasegrid.proto.v1.LeaseStatus.newBuilder()
                        .setLease(ref(status.key()))
                        .setHeld(status.held())
                        .setCancelled(status.cancelled())
                        .setExpiresAtMs(status.expiresAtMs()));
            }
            return response.build();
        });
    }

    @Override
    public void saveCheckpoint(SaveCheckpointRequest request, StreamObserver<SaveCheckpointResponse> responses) {
        GrpcCalls.unary(responses, () -> SaveCheckpointResponse.newBuilder()
                .setExpiresAtMs(gateway.checkpoint(reporter(request.getLease()), key(request.getLease()),
                        request.getCompletedPlansList(),
                        request.getBlob().toByteArray(), request.getTokensSoFar()))
                .build());
    }

    @Override
    public void completePhase(CompletePhaseRequest request, StreamObserver<CompletePhaseResponse> responses) {
        GrpcCalls.unary(responses, () -> {
            Outcome outcome = switch (request.getOutcome()) {
                case OUTCOME_SUCCEEDED -> Outcome.SUCCEEDED;
                case OUTCOME_FAILED -> Outcome.FAILED;
                case OUTCOME_ABANDONED -> Outcome.ABANDONED;
                default -> throw new IllegalArgumentException("outcome is required");
            };
            if (request.getTokensUsed() < 0) {
                throw new IllegalArgumentException("tokens_used must not be negative");
            }
            return CompletePhaseResponse.newBuilder()
                    .setPhaseState(RunProtoMapper.phaseState(gateway.complete(reporter(request.getLease()),
                            key(request.getLease()), outcome,
                            request.getTokensUsed(), request.getError())))
                    .build();
        });
    }

    /** The worker a report comes from; a report naming none cannot hold a lease. */
    private static String reporter(LeaseRef ref) {
        if (ref.getWorkerId().isEmpty()) {
            throw new StaleLeaseException("the report names no worker_id: it holds no lease");
        }
        return ref.getWorkerId();
    }

    static LeaseKey key(LeaseRef ref) {
        return new LeaseKey(ref.getRunId(), ref.getPhaseKey(), ref.getEpoch());
    }

    static LeaseRef ref(LeaseKey key) {
        return LeaseRef.newBuilder().setRunId(key.runId()).setPhaseKey(key.phaseKey()).setEpoch(key.epoch()).build();
    }

    static Lease lease(LeaseOffer offer) {
        Lease.Builder lease = Lease.newBuilder()
                .setRunId(offer.key().runId())
                .setPhaseKey(offer.key().phaseKey())
                .setEpoch(offer.key().epoch())
                .setAttempt(offer.attempt())
                .setPhaseName(offer.phaseName())
                .setEstimatedTokens(offer.estimatedTokens())
                .setCheckpoint(RunProtoMapper.bytes(offer.checkpoint()))
                .setExpiresAtMs(offer.expiresAtMs());
        for (LeaseOffer.OfferedPlan plan : offer.plans()) {
            lease.addPlans(LeasedPlan.newBuilder().setId(plan.id()).setPath(plan.path())
                    .setContent(RunProtoMapper.bytes(plan.content())).setCompleted(plan.completed()));
        }
        return lease.build();
    }
}
