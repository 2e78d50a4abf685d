package io.phasegrid.coordinator.grpc;

import io.grpc.BindableService;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.lease.WorkerDirectory;
import io.phasegrid.proto.v1.ListWorkersRequest;
import io.phasegrid.proto.v1.ListWorkersResponse;
import io.phasegrid.proto.v1.WorkerServiceGrpc;

/**
 * WorkerService as the coordinator serves it: the workers' calls from {@link WorkerGrpcService}, and
 * {@code ListWorkers} (an operator's call, off the workers' path) answered from a {@link WorkerDirectory}.
 */
public final class WorkerServiceDefinition {

    private WorkerServiceDefinition() {
    }

    /** {@code workers}' methods, with ListWorkers answered by {@code directory}. */
    public static BindableService of(WorkerGrpcService workers, WorkerDirectory directory) {
        String listWorkers = WorkerServiceGrpc.getListWorkersMethod().getFullMethodName();
        ServerServiceDefinition base = workers.bindService();
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(base.getServiceDescriptor());
        for (ServerMethodDefinition<?, ?> method : base.getMethods()) {
            if (!method.getMethodDescriptor().getFullMethodName().equals(listWorkers)) {
                service.addMethod(method);
            }
        }
        service.addMethod(WorkerServiceGrpc.getListWorkersMethod(),
                ServerCalls.asyncUnaryCall((ListWorkersRequest request, StreamObserver<ListWorkersResponse> out) ->
                        GrpcCalls.unary(out, () -> {
                            WorkerListPager.check(request); // before the directory is read
                            return WorkerListPager.page(request, directory.list());
                        })));
        ServerServiceDefinition definition = service.build();
        return () -> definition;
    }
}
