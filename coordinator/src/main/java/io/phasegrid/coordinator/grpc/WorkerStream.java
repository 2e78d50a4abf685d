package io.phasegrid.coordinator.grpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResult;
import io.phasegrid.proto.v1.CompletePhasesResponse;
import io.phasegrid.proto.v1.CoordinatorMessage;
import io.phasegrid.proto.v1.OperationError;
import io.phasegrid.proto.v1.WorkerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One worker's {@code Connect} stream: each message is one operation of {@code WorkerService}, answered by a message
 * with the same correlation id, in any order (a long poll does not hold back the reports behind it). A failed
 * operation answers {@code OperationError} with the status a unary call would have had; the stream stays open.
 * Reports go to the gateway's group commit without taking a thread; the other operations block (map calls, the long
 * poll) and run on {@code work}, never on the stream's inbound thread. When the stream ends, a long poll still
 * waiting stops and hands back whatever it leased.
 */
final class WorkerStream implements StreamObserver<WorkerMessage> {

    private final WorkerGrpcService operations;
    private final ServerCallStreamObserver<CoordinatorMessage> out;
    private final Executor work;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean halfClosed;
    private boolean finished; // guarded by out

    WorkerStream(WorkerGrpcService operations, ServerCallStreamObserver<CoordinatorMessage> out, Executor work) {
        this.operations = operations;
        this.out = out;
        this.work = work;
        out.setOnCancelHandler(() -> {
            closed = true;
            operations.ended(this);
            operations.wakePolls(); // a poll of this stream stops now instead of at its wait's end
        });
    }

    /**
     * The coordinator is stopping: ends the stream now, so the worker goes to another member at once instead of
     * after a timeout; answers still due are not sent (a poll's leases are handed back).
     */
    void end() {
        synchronized (out) {
            if (!finished) {
                finished = true;
                closed = true;
                try {
                    out.onCompleted();
                } catch (RuntimeException e) {
                    // already cancelled
                }
            }
        }
        operations.ended(this);
    }

    private boolean gone() {
        return closed || out.isCancelled();
    }

    /** A poll stops when the stream is gone or the worker half-closed it (it closes its link). */
    private boolean pollCancelled() {
        return halfClosed || gone();
    }

    @Override
    public void onNext(WorkerMessage message) {
        long id = message.getCorrelationId();
        inFlight.incrementAndGet();
        switch (message.getBodyCase()) {
            case COMPLETE -> operations.complete(message.getComplete()).whenComplete((response, error) ->
                    answer(id, error == null ? b -> b.setCompleted(response) : null, error));
            case COMPLETE_ALL -> completeAll(id, message.getCompleteAll());
            case POLL -> poll(id, message.getPoll());
            case HEARTBEAT -> offload(id, () -> operations.heartbeat(message.getHeartbeat()),
                    CoordinatorMessage.Builder::setHeartbeat);
            case CHECKPOINT -> offload(id, () -> operations.checkpoint(message.getCheckpoint()),
                    CoordinatorMessage.Builder::setCheckpoint);
            case REGISTER -> offload(id, () -> operations.register(message.getRegister()),
                    CoordinatorMessage.Builder::setRegistered);
            default -> answer(id, null, new IllegalArgumentException("message " + id + " carries no operation"));
        }
    }

    /** Each report goes to the group commit on its own; the answer waits for all of them. */
    private void completeAll(long id, io.phasegrid.proto.v1.CompletePhasesRequest request) {
        try {
            WorkerRequestLimits.completeAll(request);
        } catch (IllegalArgumentException e) {
            answer(id, null, e);
            return;
        }
        List<CompletePhaseRequest> reports = request.getReportsList();
        List<CompletableFuture<CompletePhaseResult>> results = new ArrayList<>(reports.size());
        for (CompletePhaseRequest report : reports) {
            results.add(operations.complete(report).handle((response, error) -> error == null
                    ? CompletePhaseResult.newBuilder().setCompleted(response).build()
                    : CompletePhaseResult.newBuilder().setError(operationError(error)).build()));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            CompletePhasesResponse.Builder response = CompletePhasesResponse.newBuilder();
            results.forEach(r -> response.addResults(r.join()));
            answer(id, b -> b.setCompletedAll(response), null);
        });
    }

    private static OperationError operationError(Throwable error) {
        StatusRuntimeException status = GrpcCalls.toStatus(WorkerGrpcService.unwrap(error));
        return OperationError.newBuilder()
                .setCode(status.getStatus().getCode().value())
                .setMessage(String.valueOf(status.getStatus().getDescription()))
                .build();
    }

    /** A long poll on the pool; leases whose answer cannot be sent any more are handed back at once. */
    private void poll(long id, io.phasegrid.proto.v1.PollLeaseRequest request) {
        try {
            work.execute(() -> {
                io.phasegrid.proto.v1.PollLeaseResponse leases;
                try {
                    leases = operations.poll(request, this::pollCancelled);
                } catch (Exception e) {
                    answer(id, null, e);
                    return;
                }
                if (!answer(id, b -> b.setLeases(leases), null)) {
                    operations.abandon(leases, "the stream ended before the leases were delivered");
                }
            });
        } catch (RejectedExecutionException e) {
            answer(id, null, shuttingDown());
        }
    }

    static RuntimeException shuttingDown() {
        // UNAVAILABLE (go to another member), not FAILED_PRECONDITION (which a worker takes for a stale lease)
        return new com.hazelcast.core.HazelcastInstanceNotActiveException("the coordinator is shutting down");
    }

    private <T> void offload(long id, Callable<T> call,
            java.util.function.BiFunction<CoordinatorMessage.Builder, T, CoordinatorMessage.Builder> set) {
        try {
            work.execute(() -> {
                T result;
                try {
                    result = call.call();
                } catch (Exception e) {
                    answer(id, null, e);
                    return;
                }
                answer(id, b -> set.apply(b, result), null);
            });
        } catch (RejectedExecutionException e) {
            answer(id, null, shuttingDown());
        }
    }

    /** Sends the answer; false when it could not be sent (the stream is gone). */
    private boolean answer(long id, Function<CoordinatorMessage.Builder, CoordinatorMessage.Builder> body,
            Throwable error) {
        CoordinatorMessage.Builder message = CoordinatorMessage.newBuilder().setCorrelationId(id);
        if (error != null) {
            message.setError(operationError(error));
        } else {
            body.apply(message);
        }
        boolean sent = false;
        synchronized (out) {
            if (!finished && !gone()) {
                try {
                    out.onNext(message.build());
                    sent = true;
                } catch (RuntimeException e) {
                    closed = true; // the call ended under us; nothing more can be sent
                }
            }
            if (inFlight.decrementAndGet() == 0 && halfClosed) {
                finish();
            }
        }
        return sent;
    }

    @Override
    public void onError(Throwable t) {
        closed = true;
        operations.ended(this);
        operations.wakePolls();
    }

    @Override
    public void onCompleted() {
        boolean pending;
        synchronized (out) {
            halfClosed = true;
            pending = inFlight.get() > 0;
            if (!pending) {
                finish();
            }
        }
        if (pending) {
            // a long poll of this stream sees the half-close now and answers empty at once (not at its wait's end)
            operations.wakePolls();
        }
    }

    private void finish() {
        if (!finished) {
            finished = true;
            if (!gone()) {
                out.onCompleted();
            }
        }
        operations.ended(this);
    }
}
