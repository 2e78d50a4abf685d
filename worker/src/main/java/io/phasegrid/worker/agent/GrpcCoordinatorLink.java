package io.phasegrid.worker.agent;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.phasegrid.worker.security.ClientSecurity;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResponse;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RegisterWorkerResponse;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.SaveCheckpointResponse;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link CoordinatorLink} over the unary RPCs of {@code WorkerService}, on a plaintext {@link ManagedChannel} of its
 * own. Every call has a deadline: the RPC timeout, or for a long poll its wait plus the RPC timeout.
 */
public final class GrpcCoordinatorLink implements CoordinatorLink {

    private final String address;
    private final ManagedChannel channel;
    private final WorkerServiceGrpc.WorkerServiceBlockingStub stub;
    private final long rpcTimeoutMs;

    public GrpcCoordinatorLink(String address, Duration rpcTimeout) {
        this(address, rpcTimeout, ClientSecurity.NONE);
    }

    /** A link that reaches the coordinator with {@code security} (TLS, token). */
    public GrpcCoordinatorLink(String address, Duration rpcTimeout, ClientSecurity security) {
        this.address = Objects.requireNonNull(address, "address");
        this.rpcTimeoutMs = rpcTimeout.toMillis();
        this.channel = Grpc.newChannelBuilder(address, security.credentials())
                .maxInboundMessageSize(StreamCoordinatorLink.MAX_MESSAGE_BYTES).build();
        this.stub = WorkerServiceGrpc.newBlockingStub(channel);
    }

    /** A factory of links with this RPC timeout. */
    public static Factory factory(Duration rpcTimeout) {
        return address -> new GrpcCoordinatorLink(address, rpcTimeout);
    }

    /** A factory of links with this RPC timeout and security. */
    public static Factory factory(Duration rpcTimeout, ClientSecurity security) {
        return address -> new GrpcCoordinatorLink(address, rpcTimeout, security);
    }

    @Override
    public String address() {
        return address;
    }

    private WorkerServiceGrpc.WorkerServiceBlockingStub stub(long timeoutMs) {
        return stub.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public RegisterWorkerResponse register(RegisterWorkerRequest request) {
        return stub(rpcTimeoutMs).register(request);
    }

    @Override
    public PollLeaseResponse poll(PollLeaseRequest request) {
        return stub(request.getWaitMs() + rpcTimeoutMs).pollLease(request);
    }

    @Override
    public HeartbeatResponse heartbeat(HeartbeatRequest request) {
        return stub(rpcTimeoutMs).heartbeat(request);
    }

    @Override
    public SaveCheckpointResponse checkpoint(SaveCheckpointRequest request) {
        return stub(rpcTimeoutMs).saveCheckpoint(request);
    }

    @Override
    public CompletePhaseResponse complete(CompletePhaseRequest request) {
        return stub(rpcTimeoutMs).completePhase(request);
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    @Override
    public String toString() {
        return "GrpcCoordinatorLink[" + address + "]";
    }
}
