package io.phasegrid.worker.agent;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResponse;
import io.phasegrid.proto.v1.CompletePhaseResult;
import io.phasegrid.proto.v1.CompletePhasesResponse;
import io.phasegrid.proto.v1.CoordinatorMessage;
import io.phasegrid.proto.v1.OperationError;
import io.phasegrid.proto.v1.WorkerMessage;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.LeaseStatus;
import io.phasegrid.proto.v1.LeasedPlan;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RegisterWorkerResponse;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SaveCheckpointResponse;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A scripted stand-in for the coordinator's WorkerService: hands out the leases it is given, records every call,
 * answers heartbeats as told, fails calls on request. One instance can be served on several endpoints (members of
 * one "cluster" sharing state), each stopped and restarted on its port.
 */
final class ScriptedCoordinator implements AutoCloseable {

    static final long HEARTBEAT_MS = 100;

    final List<RegisterWorkerRequest> registrations = new CopyOnWriteArrayList<>();
    final List<PollLeaseRequest> polls = new CopyOnWriteArrayList<>();
    final List<HeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
    final List<SaveCheckpointRequest> checkpoints = new CopyOnWriteArrayList<>();
    final List<CompletePhaseRequest> completions = new CopyOnWriteArrayList<>();
    /** Every call, in order, as "member:Method". */
    final List<String> calls = new CopyOnWriteArrayList<>();

    private final LinkedBlockingDeque<Lease> ready = new LinkedBlockingDeque<>();
    private final Set<String> notHeld = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    /** The lease TTL announced at registration (default three heartbeats). */
    volatile long leaseTtlMs = HEARTBEAT_MS * 3;
    private volatile Predicate<CompletePhaseRequest> refuseCompletion = r -> false;
    private volatile Predicate<SaveCheckpointRequest> refuseCheckpoint = r -> false;
    private volatile Function<PollLeaseRequest, Void> onPoll = r -> null;

    private final List<Endpoint> endpoints = new ArrayList<>();

    private final class Endpoint {
        final int index;
        int port;
        Server server;

        Endpoint(int index) {
            this.index = index;
        }

        synchronized void start() {
            try {
                server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                        .addService(new Member(index))
                        .build()
                        .start();
                port = server.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized void stop() throws InterruptedException {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code members} endpoints, each on a free port of 127.0.0.1. */
    static ScriptedCoordinator start(int members) {
        ScriptedCoordinator c = new ScriptedCoordinator();
        for (int i = 0; i < members; i++) {
            Endpoint e = c.new Endpoint(i);
            e.start();
            c.endpoints.add(e);
        }
        return c;
    }

    String address(int member) {
        return "127.0.0.1:" + endpoints.get(member).port;
    }

    List<String> addresses() {
        return endpoints.stream().map(e -> "127.0.0.1:" + e.port).toList();
    }

    void stop(int member) throws InterruptedException {
        endpoints.get(member).stop();
    }

    /** Restarts a stopped member on the same port. */
    void restart(int member) {
        endpoints.get(member).start();
    }

    @Override
    public void close() throws InterruptedException {
        for (Endpoint e : endpoints) {
            e.stop();
        }
    }

    // ------------------------------------------------------------------ script

    void offer(Lease... leases) {
        ready.addAll(List.of(leases));
    }

    int readyLeases() {
        return ready.size();
    }

    /** Heartbeats answer held = false for this phase from now on. */
    void loseLease(String phaseKey) {
        notHeld.add(phaseKey);
    }

    /** Heartbeats answer cancelled = true for this phase from now on. */
    void cancelRunOf(String phaseKey) {
        cancelled.add(phaseKey);
    }

    void refuseCompletionsAsStale(Predicate<CompletePhaseRequest> which) {
        refuseCompletion = which;
    }

    void refuseCheckpointsAsStale(Predicate<SaveCheckpointRequest> which) {
        refuseCheckpoint = which;
    }

    void onPoll(Function<PollLeaseRequest, Void> hook) {
        onPoll = hook;
    }

    List<CompletePhaseRequest> completionsOf(String phaseKey) {
        return completions.stream().filter(c -> c.getLease().getPhaseKey().equals(phaseKey)).toList();
    }

    List<SaveCheckpointRequest> checkpointsOf(String phaseKey) {
        return checkpoints.stream().filter(c -> c.getLease().getPhaseKey().equals(phaseKey)).toList();
    }

    // ------------------------------------------------------------------ leases

    static LeasedPlan plan(String id, boolean completed) {
        return LeasedPlan.newBuilder()
                .setId(id)
                .setPath(".planning/phases/" + id + "-PLAN.md")
                .setContent(ByteString.copyFrom("# plan " + id + "\n", StandardCharsets.UTF_8))
                .setCompleted(completed)
                .build();
    }

    static Lease lease(String phaseKey, long estimate, String... planIds) {
        Lease.Builder b = Lease.newBuilder()
                .setRunId("run-1")
                .setPhaseKey(phaseKey)
                .setEpoch(1)
                .setAttempt(1)
                .setPhaseName("Phase " + phaseKey)
                .setEstimatedTokens(estimate);
        for (String id : planIds) {
            b.addPlans(plan(id, false));
        }
        return b.build();
    }

    // ------------------------------------------------------------------ the service, per member

    private final class Member extends WorkerServiceGrpc.WorkerServiceImplBase {
        private final int index;

        Member(int index) {
            this.index = index;
        }

        private void record(String method) {
            calls.add(index + ":" + method);
        }

        @Override
        public void register(RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> out) {
            record("Register");
            registrations.add(request);
            out.onNext(RegisterWorkerResponse.newBuilder()
                    .setWorkerId("w-" + request.getName())
                    .setHeartbeatIntervalMs(HEARTBEAT_MS)
                    .setLeaseTtlMs(leaseTtlMs)
                    .build());
            out.onCompleted();
        }

        @Override
        public void pollLease(PollLeaseRequest request, StreamObserver<PollLeaseResponse> out) {
            record("PollLease");
            polls.add(request);
            onPoll.apply(request);
            List<Lease> given = new ArrayList<>();
            try {
                Lease first = ready.poll(request.getWaitMs(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    given.add(first);
                    while (given.size() < request.getFreeSlots()) {
                        Lease next = ready.poll();
                        if (next == null) {
                            break;
                        }
                        given.add(next);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ServerCallStreamObserver<PollLeaseResponse> call = (ServerCallStreamObserver<PollLeaseResponse>) out;
            if (call.isCancelled()) {
                for (int i = given.size() - 1; i >= 0; i--) {
                    ready.addFirst(given.get(i)); // the worker will never see them
                }
                return;
            }
            call.onNext(PollLeaseResponse.newBuilder().addAllLeases(given).build());
            call.onCompleted();
        }

        @Override
        public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
            record("Heartbeat");
            heartbeats.add(request);
            HeartbeatResponse.Builder answer = HeartbeatResponse.newBuilder();
            for (LeaseRef ref : request.getLeasesList()) {
                answer.addLeases(LeaseStatus.newBuilder()
                        .setLease(ref)
                        .setHeld(!notHeld.contains(ref.getPhaseKey()))
                        .setCancelled(cancelled.contains(ref.getPhaseKey()))
                        .setExpiresAtMs(System.currentTimeMillis() + HEARTBEAT_MS * 3));
            }
            out.onNext(answer.build());
            out.onCompleted();
        }

        @Override
        public void saveCheckpoint(SaveCheckpointRequest request, StreamObserver<SaveCheckpointResponse> out) {
            record("SaveCheckpoint");
            checkpoints.add(request);
            if (refuseCheckpoint.test(request)) {
                out.onError(Status.FAILED_PRECONDITION.withDescription("stale epoch").asRuntimeException());
                return;
            }
            out.onNext(SaveCheckpointResponse.getDefaultInstance());
            out.onCompleted();
        }

        /** The stream: each message runs the unary method of its operation on a thread of its own. */
        @Override
        public StreamObserver<WorkerMessage> connect(StreamObserver<CoordinatorMessage> out) {
            ServerCallStreamObserver<CoordinatorMessage> stream = (ServerCallStreamObserver<CoordinatorMessage>) out;
            return new StreamObserver<>() {
                @Override
                public void onNext(WorkerMessage m) {
                    long id = m.getCorrelationId();
                    Thread call = new Thread(() -> {
                        switch (m.getBodyCase()) {
                            case REGISTER -> register(m.getRegister(), answer(stream, id, CoordinatorMessage.Builder::setRegistered));
                            case POLL -> pollLease(m.getPoll(), answer(stream, id, CoordinatorMessage.Builder::setLeases));
                            case HEARTBEAT -> heartbeat(m.getHeartbeat(), answer(stream, id, CoordinatorMessage.Builder::setHeartbeat));
                            case CHECKPOINT -> saveCheckpoint(m.getCheckpoint(), answer(stream, id, CoordinatorMessage.Builder::setCheckpoint));
                            case COMPLETE -> completePhase(m.getComplete(), answer(stream, id, CoordinatorMessage.Builder::setCompleted));
                            case COMPLETE_ALL -> {
                                record("CompleteAll(" + m.getCompleteAll().getReportsCount() + ")");
                                CompletePhasesResponse.Builder all = CompletePhasesResponse.newBuilder();
                                for (CompletePhaseRequest r : m.getCompleteAll().getReportsList()) {
                                    CoordinatorMessage[] one = new CoordinatorMessage[1];
                                    completePhase(r, ScriptedCoordinator.<CompletePhaseResponse>answer(null, 0,
                                            CoordinatorMessage.Builder::setCompleted, x -> one[0] = x));
                                    all.addResults(one[0].hasError()
                                            ? CompletePhaseResult.newBuilder().setError(one[0].getError())
                                            : CompletePhaseResult.newBuilder().setCompleted(one[0].getCompleted()));
                                }
                                ScriptedCoordinator.<CompletePhasesResponse>answer(stream, id,
                                        CoordinatorMessage.Builder::setCompletedAll).onNext(all.build());
                            }
                            default -> throw new IllegalStateException("empty message");
                        }
                    });
                    call.setDaemon(true);
                    call.start();
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    synchronized (stream) {
                        if (!stream.isCancelled()) {
                            stream.onCompleted();
                        }
                    }
                }
            };
        }

        @Override
        public void completePhase(CompletePhaseRequest request, StreamObserver<CompletePhaseResponse> out) {
            record("CompletePhase");
            completions.add(request);
            if (refuseCompletion.test(request)) {
                out.onError(Status.FAILED_PRECONDITION.withDescription("stale epoch").asRuntimeException());
                return;
            }
            out.onNext(CompletePhaseResponse.newBuilder().setPhaseState(PhaseState.PHASE_SUCCEEDED).build());
            out.onCompleted();
        }
    }

    /** A unary call's observer whose answer goes onto the stream with the call's correlation id. */
    private static <T> ServerCallStreamObserver<T> answer(ServerCallStreamObserver<CoordinatorMessage> stream, long id,
            java.util.function.BiFunction<CoordinatorMessage.Builder, T, CoordinatorMessage.Builder> set) {
        return answer(stream, id, set, null);
    }

    /** With a {@code sink}, the answer goes there instead of onto the stream (a report of a batch). */
    private static <T> ServerCallStreamObserver<T> answer(ServerCallStreamObserver<CoordinatorMessage> stream, long id,
            java.util.function.BiFunction<CoordinatorMessage.Builder, T, CoordinatorMessage.Builder> set,
            java.util.function.Consumer<CoordinatorMessage> sink) {
        return new ServerCallStreamObserver<>() {
            private void send(CoordinatorMessage m) {
                if (sink != null) {
                    sink.accept(m);
                    return;
                }
                synchronized (stream) {
                    if (!stream.isCancelled()) {
                        try {
                            stream.onNext(m);
                        } catch (RuntimeException e) {
                            // the stream ended meanwhile
                        }
                    }
                }
            }

            @Override
            public void onNext(T value) {
                send(set.apply(CoordinatorMessage.newBuilder().setCorrelationId(id), value).build());
            }

            @Override
            public void onError(Throwable t) {
                Status status = Status.fromThrowable(t);
                send(CoordinatorMessage.newBuilder().setCorrelationId(id).setError(OperationError.newBuilder()
                        .setCode(status.getCode().value()).setMessage(String.valueOf(status.getDescription()))).build());
            }

            @Override
            public void onCompleted() {
            }

            @Override
            public boolean isCancelled() {
                return stream != null && stream.isCancelled();
            }

            @Override
            public void setOnCancelHandler(Runnable handler) {
            }

            @Override
            public void setCompression(String compression) {
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setOnReadyHandler(Runnable handler) {
            }

            @Override
            public void disableAutoInboundFlowControl() {
            }

            @Override
            public void request(int count) {
            }

            @Override
            public void setMessageCompression(boolean enable) {
            }
        };
    }
}
