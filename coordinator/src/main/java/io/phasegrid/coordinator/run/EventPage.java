package io.phasegrid.coordinator.run;

import java.util.List;

/**
 * Events after a sequence number, oldest first.
 *
 * @param events the events kept with a sequence greater than the one asked for
 * @param truncated true when events after the asked sequence were already dropped from the bounded log: the watcher
 *     missed changes and should take a fresh snapshot
 * @param lastSequence the sequence of the newest event of the run (0 when none)
 */
public record EventPage(List<RunEvent> events, boolean truncated, long lastSequence) implements java.io.Serializable {

    public EventPage {
        events = List.copyOf(events);
    }
}
