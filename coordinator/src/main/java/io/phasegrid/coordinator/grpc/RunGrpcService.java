package io.phasegrid.coordinator.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.auth.AuthInterceptor;
import io.phasegrid.coordinator.auth.Principal;
import io.phasegrid.coordinator.auth.Role;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.service.RunCoordinator;
import io.phasegrid.coordinator.service.RunPage;
import io.phasegrid.coordinator.service.SubmitResult;
import io.phasegrid.proto.v1.CancelRunRequest;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.ListRunsRequest;
import io.phasegrid.proto.v1.ListRunsResponse;
import io.phasegrid.proto.v1.RetryRunRequest;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunEvent;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.SetRunBudgetRequest;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.SubmitRunResponse;
import io.phasegrid.proto.v1.WatchRunRequest;
import java.util.Set;

/** RunService: proto <-> {@link RunCoordinator}. */
public final class RunGrpcService extends RunServiceGrpc.RunServiceImplBase {

    private final RunCoordinator runs;

    public RunGrpcService(RunCoordinator runs) {
        this.runs = runs;
    }

    /** The runs as the current call's principal reaches them (a submitter: its own). */
    private RunCoordinator runs() {
        Principal caller = AuthInterceptor.caller();
        return runs.as(caller.name(), caller.role() != Role.SUBMITTER);
    }

    @Override
    public void submit(SubmitRunRequest request, StreamObserver<SubmitRunResponse> responses) {
        GrpcCalls.unary(responses, () -> {
            SubmitResult result = runs().submit(RunProtoMapper.submission(request));
            SubmitRunResponse.Builder response = SubmitRunResponse.newBuilder()
                    .setRunId(result.runId())
                    .setCreated(result.created())
                    .setRun(RunProtoMapper.run(result.run()));
            RunProtoMapper.addWarnings(response, result.warnings());
            return response.build();
        });
    }

    @Override
    public void getRun(GetRunRequest request, StreamObserver<Run> responses) {
        GrpcCalls.unary(responses, () -> RunProtoMapper.run(runs().get(RunRequestLimits.runId(request.getRunId()))));
    }

    @Override
    public void listRuns(ListRunsRequest request, StreamObserver<ListRunsResponse> responses) {
        GrpcCalls.unary(responses, () -> {
            RunRequestLimits.listRuns(request);
            Set<RunState> states = RunProtoMapper.runStates(request.getStatesValueList());
            @SuppressWarnings("deprecation")
            int pageSize = request.getPageSize() > 0 ? request.getPageSize() : request.getLimit();
            RunPage page = runs().page(states, pageSize, request.getPageToken());
            ListRunsResponse.Builder response = ListRunsResponse.newBuilder().setNextPageToken(page.nextPageToken());
            page.runs().forEach(view -> response.addRuns(RunProtoMapper.run(view)));
            return response.build();
        });
    }

    @Override
    public void cancelRun(CancelRunRequest request, StreamObserver<Run> responses) {
        GrpcCalls.unary(responses, () -> RunProtoMapper.run(runs().cancel(RunRequestLimits.runId(request.getRunId()))));
    }

    @Override
    public void retryRun(RetryRunRequest request, StreamObserver<Run> responses) {
        GrpcCalls.unary(responses, () -> RunProtoMapper.run(runs().retry(RunRequestLimits.runId(request.getRunId()),
                GitProtoMapper.resolutions(request))));
    }

    @Override
    public void setRunBudget(SetRunBudgetRequest request, StreamObserver<Run> responses) {
        GrpcCalls.unary(responses, () -> {
            RunRequestLimits.setBudget(request);
            return RunProtoMapper.run(runs().setBudget(request.getRunId(), request.getBudgetTokens()));
        });
    }

    @Override
    public void watchRun(WatchRunRequest request, StreamObserver<RunEvent> responses) {
        ServerCallStreamObserver<RunEvent> stream = (ServerCallStreamObserver<RunEvent>) responses;
        WatchStream watch = new WatchStream(request.getRunId(), stream);
        RunCoordinator.WatchHandle handle;
        try {
            handle = runs().watch(RunRequestLimits.runId(request.getRunId()), watch);
        } catch (RuntimeException e) {
            responses.onError(GrpcCalls.toStatus(e));
            return;
        }
        stream.setOnCancelHandler(handle::close);
        watch.start(handle);
    }
}
