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
import io.grpc.stub.ServerCallStreamObserver;
import io.phasegrid.proto.v1.CoordinatorMessage;
import io.phasegrid.proto.v1.WorkerMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * WorkerService: proto <-> {@link WorkerGateway}, as unary calls and as the {@code Connect} stream (the same
 * operations, answered by correlation id). Long polls are capped at {@link #MAX_WAIT_MS}.
 */
public final class WorkerGrpcService extends WorkerServiceGrpc.WorkerServiceImplBase {

    static final long MAX_WAIT_MS = 30_000;

    private final WorkerGateway gateway;
    /** Stream operations that block (long polls, map calls): never on the stream's own inbound thread. */
    private final ThreadPoolExecutor streamWork;
    private final java.util.Set<WorkerStream> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public WorkerGrpcService(WorkerGateway gateway) {
        this.gateway = gateway;
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "phasegrid-worker-stream-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.streamWork = pool;
    }

    @Override
    public void register(RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> responses) {
        GrpcCalls.unary(responses, () -> register(request));
    }

    @Override
    public void pollLease(PollLeaseRequest request, StreamObserver<PollLeaseResponse> responses) {
        Context call = Context.current();
        // a caller that goes away (cancel, deadline) ends its long poll now, not at the end of its wait
        Context.CancellationListener wake = ignored -> wakePolls();
        call.addListener(wake, Runnable::run);
        try {
            GrpcCalls.unary(responses, () -> poll(request, call::isCancelled));
        } finally {
            call.removeListener(wake);
        }
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> responses) {
        GrpcCalls.unary(responses, () -> heartbeat(request));
    }

    @Override
    public void saveCheckpoint(SaveCheckpointRequest request, StreamObserver<SaveCheckpointResponse> responses) {
        GrpcCalls.unary(responses, () -> checkpoint(request));
    }

    @Override
    public void completePhase(CompletePhaseRequest request, StreamObserver<CompletePhaseResponse> responses) {
        complete(request).whenComplete((response, error) -> {
            if (error != null) {
                responses.onError(GrpcCalls.toStatus(unwrap(error)));
            } else {
                responses.onNext(response);
                responses.onCompleted();
            }
        });
    }

    /** The five operations on one stream per worker; see {@link WorkerStream}. */
    @Override
    public StreamObserver<WorkerMessage> connect(StreamObserver<CoordinatorMessage> responses) {
        WorkerStream stream = new WorkerStream(this, (ServerCallStreamObserver<CoordinatorMessage>) responses,
                streamWork);
        streams.add(stream);
        return stream;
    }

    /** Makes every waiting poll look at its cancellation now (those not cancelled wait on). */
    void wakePolls() {
        gateway.wakePolls();
    }

    void ended(WorkerStream stream) {
        streams.remove(stream);
    }

    /**
     * Before the server stops: ends every open {@code Connect} stream (the workers reconnect to another member at
     * once; a graceful server shutdown would otherwise wait for them) and stops the stream pool.
     */
    public void endStreams() {
        for (WorkerStream stream : streams) {
            stream.end(); // ended() takes it out of the set
        }
        streamWork.shutdown();
    }

    /** Waits for the stream operations still running (a poll that returns late hands its leases back). */
    public void awaitStreamWork(long timeout, TimeUnit unit) throws InterruptedException {
        streamWork.awaitTermination(timeout, unit);
    }

    // ---------------------------------------------------------------------------------- operations (unary and stream)

    RegisterWorkerResponse register(RegisterWorkerRequest request) {
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
    PollLeaseResponse poll(PollLeaseRequest request, BooleanSupplier cancelled) throws InterruptedException {
        WorkerRequestLimits.poll(request);
        long wait = Math.min(MAX_WAIT_MS, request.getWaitMs());
        List<LeaseOffer> offers = gateway.poll(request.getWorkerId(), request.getFreeSlots(), wait, cancelled);
        if (cancelled.getAsBoolean()) {
            abandon(offers.stream().map(LeaseOffer::key).toList(), "poll cancelled before delivery");
            return PollLeaseResponse.getDefaultInstance();
        }
        PollLeaseResponse.Builder response = PollLeaseResponse.newBuilder();
        offers.forEach(offer -> response.addLeases(lease(offer)));
        return response.build();
    }

    /** {@link #abandon(List, String)} for leases already turned into an answer. */
    void abandon(PollLeaseResponse leases, String why) {
        abandon(leases.getLeasesList().stream()
                .map(l -> new LeaseKey(l.getRunId(), l.getPhaseKey(), l.getEpoch())).toList(), why);
    }

    /** Hands leases nobody will receive back at once (READY again, no failure counted). */
    void abandon(List<LeaseKey> leases, String why) {
        for (LeaseKey lease : leases) {
            try {
                gateway.complete(lease, Outcome.ABANDONED, 0, why);
            } catch (RuntimeException e) {
                // expired or cancelled meanwhile: nothing to hand back
            }
        }
    }

    HeartbeatResponse heartbeat(HeartbeatRequest request) {
        WorkerRequestLimits.heartbeat(request);
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
    }

    SaveCheckpointResponse checkpoint(SaveCheckpointRequest request) {
        WorkerRequestLimits.checkpoint(request);
        return SaveCheckpointResponse.newBuilder()
                .setExpiresAtMs(gateway.checkpoint(reporter(request.getLease()), key(request.getLease()),
                        request.getCompletedPlansList(),
                        request.getBlob().toByteArray(), request.getTokensSoFar()))
                .build();
    }

    /** Answers when the report's batch is applied (see the gateway's group commit); never blocks the caller. */
    CompletableFuture<CompletePhaseResponse> complete(CompletePhaseRequest request) {
        try {
            WorkerRequestLimits.complete(request);
            Outcome outcome = switch (request.getOutcome()) {
                case OUTCOME_SUCCEEDED -> Outcome.SUCCEEDED;
                case OUTCOME_FAILED -> Outcome.FAILED;
                default -> Outcome.ABANDONED; // the limits let only the three known outcomes through
            };
            return gateway.completeAsync(reporter(request.getLease()), key(request.getLease()), outcome,
                            request.getTokensUsed(), WorkerRequestLimits.errorText(request.getError()))
                    .thenApply(state -> CompletePhaseResponse.newBuilder()
                            .setPhaseState(RunProtoMapper.phaseState(state)).build());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static Exception unwrap(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof Exception ex ? ex : new IllegalStateException(e);
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
