package io.phasegrid.worker.executor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A listener that records the checkpoints it receives and cancels when told to. */
final class RecordingListener implements ExecutionListener {

    record Checkpoint(String planId, byte[] blob, long tokensSoFar) {
    }

    final List<Checkpoint> checkpoints = new CopyOnWriteArrayList<>();
    final AtomicBoolean cancel = new AtomicBoolean();

    @Override
    public void planCompleted(String planId, byte[] blob, long tokensSoFar) {
        checkpoints.add(new Checkpoint(planId, blob, tokensSoFar));
    }

    @Override
    public boolean cancelled() {
        return cancel.get();
    }

    List<String> planIds() {
        return checkpoints.stream().map(Checkpoint::planId).toList();
    }

    List<Long> tokens() {
        return checkpoints.stream().map(Checkpoint::tokensSoFar).toList();
    }
}
