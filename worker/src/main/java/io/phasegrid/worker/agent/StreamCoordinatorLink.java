package io.phasegrid.worker.agent;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.phasegrid.worker.security.ClientSecurity;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResponse;
import io.phasegrid.proto.v1.CompletePhaseResult;
import io.phasegrid.proto.v1.CompletePhasesRequest;
import io.phasegrid.proto.v1.CoordinatorMessage;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RegisterWorkerResponse;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SaveCheckpointResponse;
import io.phasegrid.proto.v1.WorkerMessage;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link CoordinatorLink} over one {@code Connect} stream: every call is a message with a correlation id, answered
 * by the message with the same id, so the agent's threads share one HTTP/2 stream instead of one call each (DESIGN.md:
 * a unary round trip per state change cannot carry the target throughput). Calls block like unary ones, with the
 * same deadlines (the RPC timeout; a long poll its wait plus the RPC timeout), and fail with the status a unary call
 * would have: an {@code OperationError} becomes that status, a broken stream {@code UNAVAILABLE} for every call in
 * flight. The next call after a break opens a new stream.
 *
 * <p>A poll answer whose caller stopped waiting (interrupted, timed out) carries leases nobody will run: they are
 * handed back at once as ABANDONED reports rather than left to expire after the lease TTL.
 */
public final class StreamCoordinatorLink implements CoordinatorLink {

    /** Largest answer accepted (the coordinator's default inbound limit). */
    static final int MAX_MESSAGE_BYTES = 64 << 20;

    private final String address;
    private final ManagedChannel channel;
    private final WorkerServiceGrpc.WorkerServiceStub stub;
    private final long rpcTimeoutMs;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<CoordinatorMessage>> waiting = new ConcurrentHashMap<>();
    private final Object sendLock = new Object();
    private StreamObserver<WorkerMessage> requests; // guarded by sendLock; null = no open stream
    private Answers answers; // guarded by sendLock; the observer of the open stream
    private volatile String workerId = "";
    private boolean closed; // guarded by sendLock

    public StreamCoordinatorLink(String address, Duration rpcTimeout) {
        this(address, rpcTimeout, ClientSecurity.NONE);
    }

    /** A link that reaches the coordinator with {@code security} (TLS, token). */
    public StreamCoordinatorLink(String address, Duration rpcTimeout, ClientSecurity security) {
        this.address = Objects.requireNonNull(address, "address");
        this.rpcTimeoutMs = rpcTimeout.toMillis();
        // answers only complete futures (and rarely hand leases back, without blocking): no executor hop needed
        // a poll answer carries plan contents and checkpoint blobs of several leases: too large a message would break
        // the stream (every call on it), not just the poll
        this.channel = Grpc.newChannelBuilder(address, security.credentials()).directExecutor()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES).build();
        this.stub = WorkerServiceGrpc.newStub(channel);
    }

    /** A factory of stream links with this RPC timeout. */
    public static Factory factory(Duration rpcTimeout) {
        return address -> new StreamCoordinatorLink(address, rpcTimeout);
    }

    /** A factory of links with this RPC timeout and security. */
    public static Factory factory(Duration rpcTimeout, ClientSecurity security) {
        return address -> new StreamCoordinatorLink(address, rpcTimeout, security);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public RegisterWorkerResponse register(RegisterWorkerRequest request) {
        return call(WorkerMessage.newBuilder().setRegister(request), rpcTimeoutMs).getRegistered();
    }

    @Override
    public PollLeaseResponse poll(PollLeaseRequest request) {
        workerId = request.getWorkerId();
        return call(WorkerMessage.newBuilder().setPoll(request), request.getWaitMs() + rpcTimeoutMs).getLeases();
    }

    @Override
    public HeartbeatResponse heartbeat(HeartbeatRequest request) {
        return call(WorkerMessage.newBuilder().setHeartbeat(request), rpcTimeoutMs).getHeartbeat();
    }

    @Override
    public SaveCheckpointResponse checkpoint(SaveCheckpointRequest request) {
        return call(WorkerMessage.newBuilder().setCheckpoint(request), rpcTimeoutMs).getCheckpoint();
    }

    @Override
    public CompletePhaseResponse complete(CompletePhaseRequest request) {
        return call(WorkerMessage.newBuilder().setComplete(request), rpcTimeoutMs).getCompleted();
    }

    /** One message for all of them (see {@code CompletePhasesRequest}). */
    @Override
    public List<CompletePhaseResult> completeAll(List<CompletePhaseRequest> requests) {
        return call(WorkerMessage.newBuilder().setCompleteAll(CompletePhasesRequest.newBuilder()
                .addAllReports(requests)), rpcTimeoutMs).getCompletedAll().getResultsList();
    }

    private CoordinatorMessage call(WorkerMessage.Builder message, long timeoutMs) {
        long id = ids.incrementAndGet();
        CompletableFuture<CoordinatorMessage> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        try {
            send(message.setCorrelationId(id).build());
            CoordinatorMessage reply = answer.get(timeoutMs, TimeUnit.MILLISECONDS);
            if (reply.hasError()) {
                throw Status.fromCodeValue(reply.getError().getCode())
                        .withDescription(reply.getError().getMessage()).asRuntimeException();
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handBackIfAnswered(id, answer);
            throw Status.CANCELLED.withDescription("interrupted").withCause(e).asRuntimeException();
        } catch (TimeoutException e) {
            handBackIfAnswered(id, answer);
            throw Status.DEADLINE_EXCEEDED.withDescription("no answer from " + address + " within " + timeoutMs
                    + " ms").asRuntimeException();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException s ? s
                    : Status.UNAVAILABLE.withCause(e.getCause()).asRuntimeException();
        } finally {
            waiting.remove(id);
        }
    }

    /**
     * The caller gave up: a poll answer that arrived meanwhile is handed back (one that arrives later finds no
     * waiter and is handed back by {@link Answers#onNext}).
     */
    private void handBackIfAnswered(long id, CompletableFuture<CoordinatorMessage> answer) {
        waiting.remove(id);
        // cancel() and onNext's complete() decide who owns a racing answer: exactly one of them hands it back
        if (!answer.cancel(false) && !answer.isCompletedExceptionally()) {
            CoordinatorMessage late = answer.join();
            if (late.hasLeases() && late.getLeases().getLeasesCount() > 0) {
                handBack(late.getLeases());
            }
        }
    }

    private void send(WorkerMessage message) {
        synchronized (sendLock) {
            if (closed) {
                throw Status.UNAVAILABLE.withDescription("link to " + address + " closed").asRuntimeException();
            }
            if (requests == null) {
                // with the direct executor a call that fails at once (channel in TRANSIENT_FAILURE) calls onError,
                // and so broken(), on this thread, inside connect(): check before keeping the stream
                Answers opened = new Answers();
                answers = opened;
                StreamObserver<WorkerMessage> stream = stub.connect(opened);
                if (answers != opened) {
                    throw Status.UNAVAILABLE.withDescription("stream to " + address + " failed at once")
                            .asRuntimeException();
                }
                requests = stream;
            }
            answers.sent.add(message.getCorrelationId());
            requests.onNext(message);
        }
    }

    /**
     * The stream broke or ended: the calls sent on it fail (not those already sent on a newer stream), the next call
     * opens a new stream.
     */
    private void broken(Answers stream, Status status) {
        synchronized (sendLock) {
            if (answers == stream) {
                requests = null;
                answers = null;
            }
        }
        StatusRuntimeException failure = status.asRuntimeException();
        for (Long id : stream.sent) {
            CompletableFuture<CoordinatorMessage> f = waiting.get(id);
            if (f != null) {
                f.completeExceptionally(failure);
            }
        }
    }

    private final class Answers implements StreamObserver<CoordinatorMessage> {

        /** Correlation ids sent on this stream and not answered yet. */
        final java.util.Set<Long> sent = ConcurrentHashMap.newKeySet();

        @Override
        public void onNext(CoordinatorMessage message) {
            sent.remove(message.getCorrelationId());
            CompletableFuture<CoordinatorMessage> answer = waiting.get(message.getCorrelationId());
            boolean delivered = answer != null && answer.complete(message);
            if (!delivered && message.hasLeases() && message.getLeases().getLeasesCount() > 0) {
                handBack(message.getLeases()); // nobody waits for it (any more)
            }
        }

        @Override
        public void onError(Throwable t) {
            Status status = Status.fromThrowable(t);
            broken(this, status.getCode() == Status.Code.CANCELLED && closedByUs() ? status
                    : Status.UNAVAILABLE.withDescription("stream to " + address + " broke: " + status).withCause(t));
        }

        @Override
        public void onCompleted() {
            broken(this, Status.UNAVAILABLE.withDescription("the coordinator at " + address + " ended the stream"));
        }
    }

    private boolean closedByUs() {
        synchronized (sendLock) {
            return closed;
        }
    }

    /** Leases of a poll nobody waits for any more: back to the coordinator, no answer awaited. */
    private void handBack(PollLeaseResponse orphan) {
        for (Lease lease : orphan.getLeasesList()) {
            try {
                send(WorkerMessage.newBuilder().setCorrelationId(ids.incrementAndGet())
                        .setComplete(CompletePhaseRequest.newBuilder()
                                .setLease(LeaseRef.newBuilder().setRunId(lease.getRunId())
                                        .setPhaseKey(lease.getPhaseKey()).setEpoch(lease.getEpoch())
                                        .setWorkerId(workerId))
                                .setOutcome(Outcome.OUTCOME_ABANDONED)
                                .setError("poll answer arrived after the poll gave up"))
                        .build());
            } catch (StatusRuntimeException e) {
                return; // closed or broken: the leases expire after their TTL
            }
        }
    }

    @Override
    public void close() {
        synchronized (sendLock) {
            closed = true;
            if (requests != null) {
                try {
                    requests.onCompleted();
                } catch (RuntimeException e) {
                    // already broken
                }
                requests = null;
            }
        }
        channel.shutdownNow();
        StatusRuntimeException failure =
                Status.UNAVAILABLE.withDescription("link to " + address + " closed").asRuntimeException();
        waiting.values().forEach(f -> f.completeExceptionally(failure));
    }

    @Override
    public String toString() {
        return "StreamCoordinatorLink[" + address + "]";
    }
}
