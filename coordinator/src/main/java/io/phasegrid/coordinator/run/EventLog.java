package io.phasegrid.coordinator.run;

import java.util.ArrayList;
import java.util.List;

/** The run's bounded event log for watchers: a ring of the last {@code capacity} events, sequences from 1. */
final class EventLog {

    private final RunEvent[] ring;
    private long lastSequence;

    EventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("eventCapacity must be >= 1");
        }
        ring = new RunEvent[capacity];
    }

    private EventLog(RunEvent[] ring, long lastSequence) {
        this.ring = ring;
        this.lastSequence = lastSequence;
    }

    /** The ring as it is, slot by slot (empty slots null), and the newest sequence: for the codec. */
    static EventLog of(RunEvent[] slots, long lastSequence) {
        if (slots.length < 1) {
            throw new IllegalArgumentException("eventCapacity must be >= 1");
        }
        return new EventLog(slots, lastSequence);
    }

    EventLog copy() {
        return new EventLog(ring.clone(), lastSequence);
    }

    RunEvent[] slots() {
        return ring.clone();
    }

    /** Slots in the ring: the most events kept. */
    int capacity() {
        return ring.length;
    }

    /** Sequence of the newest event (0 before any). */
    long lastSequence() {
        return lastSequence;
    }

    /** The sequence the next appended event must carry. */
    long nextSequence() {
        return lastSequence + 1;
    }

    void append(RunEvent event) {
        lastSequence++;
        ring[(int) ((lastSequence - 1) % ring.length)] = event;
    }

    /** Events with a sequence greater than {@code sequence}, oldest first (at most the log's capacity). */
    EventPage since(long sequence) {
        long firstKept = Math.max(1, lastSequence - ring.length + 1);
        boolean truncated = sequence + 1 < firstKept && lastSequence > 0;
        long from = Math.max(sequence + 1, firstKept);
        List<RunEvent> out = new ArrayList<>((int) Math.max(0, Math.min(ring.length, lastSequence - from + 1)));
        for (long s = from; s <= lastSequence; s++) {
            out.add(ring[(int) ((s - 1) % ring.length)]);
        }
        return new EventPage(out, truncated, lastSequence);
    }
}
