package io.phasegrid.coordinator.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerInterceptor;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import io.grpc.ServerServiceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's gRPC server: the PhaseGrid services plus standard health and reflection. Takes a
 * {@link ServerBuilder} so tests inject an in-process one and production a Netty one on its port.
 */
public final class CoordinatorServer implements AutoCloseable {

    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final List<String> serviceNames = new ArrayList<>();

    /**
     * Every service (health and reflection too) is served through {@link RequestParsing}: a request body that does
     * not parse is INVALID_ARGUMENT, not UNKNOWN. Health answers for "" (the whole server) and for each service's
     * name, SERVING from {@link #start()} until {@link #stop}.
     */
    public CoordinatorServer(ServerBuilder<?> builder, List<BindableService> services) {
        this(builder, services, List.of());
    }

    /** As {@link #CoordinatorServer(ServerBuilder, List)}, every call passing {@code interceptors} first. */
    public CoordinatorServer(ServerBuilder<?> builder, List<BindableService> services,
            List<ServerInterceptor> interceptors) {
        interceptors.forEach(builder::intercept);
        for (BindableService service : services) {
            ServerServiceDefinition definition = service.bindService();
            serviceNames.add(definition.getServiceDescriptor().getName());
            builder.addService(RequestParsing.of(definition));
        }
        // The Connect stream's handler never blocks (it hands blocking work to its own pool): running its callbacks
        // on the transport thread saves a thread hop per message. Every other call keeps the default executor.
        builder.callExecutor(new ServerCallExecutorSupplier() {
            @Override
            public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
                return call.getMethodDescriptor().getFullMethodName()
                        .equals(WorkerServiceGrpc.getConnectMethod().getFullMethodName()) ? Runnable::run : null;
            }
        });
        builder.addService(RequestParsing.of(health.getHealthService().bindService()));
        builder.addService(RequestParsing.of(ProtoReflectionServiceV1.newInstance().bindService()));
        this.server = builder.build();
    }

    public CoordinatorServer start() throws IOException {
        server.start();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        serviceNames.forEach(name -> health.setStatus(name, ServingStatus.SERVING));
        return this;
    }

    /** The bound port (useful with port 0); -1 for in-process servers. */
    public int port() {
        return server.getPort();
    }

    /** Marks the server NOT_SERVING, then stops it, waiting up to {@code grace} for calls in flight. */
    public void stop(long grace, TimeUnit unit) throws InterruptedException {
        stop(grace, unit, () -> { });
    }

    /**
     * As {@link #stop(long, TimeUnit)}; {@code endStreams} runs once no new call is accepted and before the wait (a
     * long-lived stream would otherwise hold the graceful shutdown for the whole grace).
     */
    public void stop(long grace, TimeUnit unit, Runnable endStreams) throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        endStreams.run();
        if (!server.awaitTermination(grace, unit)) {
            server.shutdownNow();
            server.awaitTermination(grace, unit);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(5, TimeUnit.SECONDS);
    }
}
