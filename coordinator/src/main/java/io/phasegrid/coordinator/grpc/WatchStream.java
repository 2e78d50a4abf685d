package io.phasegrid.coordinator.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.phasegrid.coordinator.service.RunCoordinator;
import io.phasegrid.coordinator.service.RunView;
import io.phasegrid.coordinator.service.RunWatch;
import io.phasegrid.proto.v1.RunEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends the snapshot first, then the events; events (and the end) that arrive before the snapshot went out wait
 * in order. The domain calls from one thread at a time, the start comes from the gRPC thread: one lock orders
 * both.
 */
final class WatchStream implements RunWatch {
    private final String runId;
    private final ServerCallStreamObserver<RunEvent> stream;
    private final List<RunEvent> early = new ArrayList<>(); // mapped already
    private boolean started;
    private boolean ended;

    WatchStream(String runId, ServerCallStreamObserver<RunEvent> stream) {
        this.runId = runId;
        this.stream = stream;
    }

    synchronized void start(RunCoordinator.WatchHandle handle) {
        if (stream.isCancelled()) {
            return;
        }
        stream.onNext(snapshot(handle.snapshot(), handle.snapshotSequence()));
        early.stream().filter(e -> e.getSequence() > handle.snapshotSequence()).forEach(stream::onNext);
        early.clear();
        started = true;
        if (ended) {
            stream.onCompleted();
        }
    }

    @Override
    public synchronized void onEvent(long sequence, io.phasegrid.coordinator.run.RunEvent event) {
        if (!started) {
            early.add(RunProtoMapper.event(runId, event));
        } else if (!stream.isCancelled()) {
            stream.onNext(RunProtoMapper.event(runId, event));
        }
    }

    /** A watcher that fell behind the event log gets a fresh snapshot on the same stream. */
    @Override
    public synchronized boolean onResync(RunView snapshot, long sequence) {
        if (!started || stream.isCancelled()) {
            return false;
        }
        stream.onNext(snapshot(snapshot, sequence));
        return true;
    }

    @Override
    public synchronized void onEnd() {
        ended = true;
        if (started && !stream.isCancelled()) {
            stream.onCompleted();
        }
    }

    private RunEvent snapshot(RunView run, long sequence) {
        return RunEvent.newBuilder()
                .setRunId(runId)
                .setSequence(sequence)
                .setAtMs(System.currentTimeMillis())
                .setSnapshot(RunProtoMapper.run(run))
                .build();
    }
}
