package io.phasegrid.coordinator.service;

import io.phasegrid.coordinator.run.RunEvent;

/** Receives a run's events in sequence order; called from one thread at a time. */
public interface RunWatch {

    /** Every event after the snapshot the watch started from, in order, without gaps. */
    void onEvent(long sequence, RunEvent event);

    /** The run ended (after its last event), or the watch was closed; nothing follows. */
    void onEnd();
}
