package io.phasegrid.coordinator.service;

import io.phasegrid.coordinator.run.RunEvent;

/** Receives a run's events in sequence order; called from one thread at a time. */
public interface RunWatch {

    /** Every event after the snapshot the watch started from, in order, without gaps. */
    void onEvent(long sequence, RunEvent event);

    /** The run ended (after its last event), or the watch was closed; nothing follows. */
    void onEnd();

    /**
     * The watcher fell behind the run's bounded event log (events after its last one were dropped): instead of a gap,
     * it is offered a fresh snapshot; events delivered next start after {@code sequence}. Return false (the default)
     * to end the watch instead ({@link #onEnd()} follows), so the client watches again from a new snapshot.
     */
    default boolean onResync(RunView snapshot, long sequence) {
        return false;
    }
}
