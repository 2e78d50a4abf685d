package io.phasegrid.coordinator.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.run.RunEvent;
import io.phasegrid.coordinator.service.RunCoordinator;
import io.phasegrid.coordinator.service.RunPage;
import io.phasegrid.coordinator.service.RunWatch;
import io.phasegrid.coordinator.service.SubmitResult;
import io.phasegrid.proto.v1.CancelRunRequest;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.ListRunsRequest;
import io.phasegrid.proto.v1.ListRunsResponse;
import io.phasegrid.proto.v1.RetryRunRequest;
import io.phasegrid.proto.v1.Run;
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

    @Override
    public void submit(SubmitRunRequest request, StreamObserver<SubmitRunResponse> responses) {
        GrpcCalls.unary(responses, () -> {
            SubmitResult result = runs.submit(RunProtoMapper.submission(request));
            SubmitRunResponse.Builder response = SubmitRunResponse.newBuilder()
                    .setRunId(result.runId())
                    .setCreated(result.created())
                    .setRun(RunProtoMapper.run(result.run()));
            result.warnings().forEach(w -> response.addWarnings(RunProtoMapper.problem(w)));
            return response.build();
        });
    }

    @Override
    public void getRun(GetRunRequest request, StreamObserver<Run> responses) {
        GrpcCalls.unary(responses, () -> RunProtoMapper.run(runs.get(RunRequestLimits.runId(request.getRunId()))));
    }

    @Override
    public void listRuns(ListRunsRequest request, StreamObserver<ListRunsResponse> responses) {
        GrpcCalls.unary(responses, () -> {
            RunRequestLimits.listRuns(request);
            Set<io.phasegrid.coordinator.run.RunState> states = RunProtoMapper.runStates(request.getStatesValueList());
            @SuppressWarnings("deprecation")
            int pageSize = request.getPageSize() > 0 ? request.getPageSize() : request.getLimit();
            RunPage page = runs.page(states, pageSize, request.getPageToken());
            ListRunsResponse.Builder response = ListRunsResponse.newBuilder().setNextPageToken(page.nextPageToken());
            page.runs().forEach(view -> response.addRuns(RunProtoMapper.run(view)));
            return response.build();
        });
    }

    @Override
    public void cancelRun(CancelRunRequest request, StreamObserver<Run> responses) {
        GrpcCalls.unary(responses, () -> RunProtoMapper.run(runs.cancel(RunRequestLimits.runId(request.getRunId()))));
    }

    @Override
    public void retryRun(RetryRunRequest request, StreamObserver<Run> responses) {
        GrpcCalls.unary(responses, () -> RunProtoMapper.run(runs.retry(RunRequestLimits.runId(request.getRunId()))));
    }

    @Override
    public void setRunBudget(SetRunBudgetRequest request, StreamObserver<Run> responses) {
        GrpcCalls.unary(responses, () -> {
            RunRequestLimits.setBudget(request);
            return RunProtoMapper.run(runs.setBudget(request.getRunId(), request.getBudgetTokens()));
        });
    }

    @Override
    public void watchRun(WatchRunRequest request, StreamObserver<io.phasegrid.proto.v1.RunEvent> responses) {
        ServerCallStreamObserver<io.phasegrid.proto.v1.RunEvent> stream =
                (ServerCallStreamObserver<io.phasegrid.proto.v1.RunEvent>) responses;
        WatchStream watch = new WatchStream(request.getRunId(), stream);
        RunCoordinator.WatchHandle handle;
        try {
            handle = runs.watch(RunRequestLimits.runId(request.getRunId()), watch);
        } catch (RuntimeException e) {
            responses.onError(GrpcCalls.toStatus(e));
            return;
        }
        stream.setOnCancelHandler(handle::close);
        watch.start(handle);
    }

    /**
     * Sends the snapshot first, then the events; events (and the end) that arrive before the snapshot went out wait
     * in order. The domain calls from one thread at a time, the start comes from the gRPC thread: one lock orders
     * both.
     */
    private static final class WatchStream implements RunWatch {
        private final String runId;
        private final ServerCallStreamObserver<io.phasegrid.proto.v1.RunEvent> stream;
        private final java.util.List<RunEvent> early = new java.util.ArrayList<>();
        private boolean started;
        private boolean ended;

        WatchStream(String runId, ServerCallStreamObserver<io.phasegrid.proto.v1.RunEvent> stream) {
            this.runId = runId;
            this.stream = stream;
        }

        synchronized void start(RunCoordinator.WatchHandle handle) {
            if (stream.isCancelled()) {
                return;
            }
            stream.onNext(io.phasegrid.proto.v1.RunEvent.newBuilder()
                    .setRunId(runId)
                    .setSequence(handle.snapshotSequence())
                    .setAtMs(System.currentTimeMillis())
                    .setSnapshot(RunProtoMapper.run(handle.snapshot()))
                    .build());
            early.stream().filter(e -> e.sequence() > handle.snapshotSequence())
                    .forEach(e -> stream.onNext(RunProtoMapper.event(runId, e)));
            early.clear();
            started = true;
            if (ended) {
                stream.onCompleted();
            }
        }

        @Override
        public synchronized void onEvent(long sequence, RunEvent event) {
            if (!started) {
                early.add(event);
            } else if (!stream.isCancelled()) {
                stream.onNext(RunProtoMapper.event(runId, event));
            }
        }

        /** A watcher that fell behind the event log gets a fresh snapshot on the same stream. */
        @Override
        public synchronized boolean onResync(io.phasegrid.coordinator.service.RunView snapshot, long sequence) {
            if (!started || stream.isCancelled()) {
                return false;
            }
            stream.onNext(io.phasegrid.proto.v1.RunEvent.newBuilder()
                    .setRunId(runId)
                    .setSequence(sequence)
                    .setAtMs(System.currentTimeMillis())
                    .setSnapshot(RunProtoMapper.run(snapshot))
                    .build());
            return true;
        }

        @Override
        public synchronized void onEnd() {
            ended = true;
            if (started && !stream.isCancelled()) {
                stream.onCompleted();
            }
        }
    }
}
