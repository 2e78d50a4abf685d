package io.phasegrid.coordinator.grpc.stream;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.phasegrid.proto.v1.CoordinatorMessage;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.WorkerMessage;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
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

    private final StreamOperations operations;
    private final WorkerStreams streams;
    private final ServerCallStreamObserver<CoordinatorMessage> out;
    private final Executor work;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean halfClosed;
    private boolean finished; // guarded by out

    WorkerStream(StreamOperations operations, WorkerStreams streams, ServerCallStreamObserver<CoordinatorMessage> out,
            Executor work) {
        this.operations = operations;
        this.streams = streams;
        this.out = out;
        this.work = work;
        out.setOnCancelHandler(() -> {
            closed = true;
            streams.ended(this);
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
        streams.ended(this);
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
            case COMPLETE_ALL -> operations.completeAll(message.getCompleteAll()).whenComplete((response, error) ->
                    answer(id, error == null ? b -> b.setCompletedAll(response) : null, error));
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

    /** A long poll on the pool; leases whose answer cannot be sent any more are handed back at once. */
    private void poll(long id, PollLeaseRequest request) {
        try {
            work.execute(() -> {
                PollLeaseResponse leases;
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

    private static RuntimeException shuttingDown() {
        // UNAVAILABLE (go to another member), not FAILED_PRECONDITION (which a worker takes for a stale lease)
        return Status.UNAVAILABLE.withDescription("the coordinator is shutting down").asRuntimeException();
    }

    private <T> void offload(long id, Callable<T> call,
            BiFunction<CoordinatorMessage.Builder, T, CoordinatorMessage.Builder> set) {
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
            message.setError(operations.error(error));
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
        streams.ended(this);
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
        streams.ended(this);
    }
}
