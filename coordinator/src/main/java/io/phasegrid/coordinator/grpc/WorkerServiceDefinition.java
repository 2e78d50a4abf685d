package io.phasegrid.coordinator.grpc;

import io.grpc.BindableService;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.lease.WorkerDirectory;
import io.phasegrid.proto.v1.ListWorkersRequest;
import io.phasegrid.proto.v1.ListWorkersResponse;
import io.phasegrid.proto.v1.WorkerInfo;
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
                        GrpcCalls.unary(out, () -> toProto(directory.list()))));
        ServerServiceDefinition definition = service.build();
        return () -> definition;
    }

    static ListWorkersResponse toProto(WorkerDirectory.Listing listing) {
        ListWorkersResponse.Builder response = ListWorkersResponse.newBuilder()
                .setSlots(listing.slots())
                .setBusySlots(listing.busySlots())
                .setDisconnectedAfterMs(listing.disconnectedAfterMs());
        for (WorkerDirectory.Worker w : listing.workers()) {
            response.addWorkers(WorkerInfo.newBuilder()
                    .setWorkerId(w.workerId())
                    .setName(w.name())
                    .setSlots(w.slots())
                    .setBusySlots(w.busySlots())
                    .putAllLabels(w.labels())
                    .setLastSeenMs(w.lastSeenMs())
                    .setConnected(w.connected()));
        }
        return response.build();
    }
}
