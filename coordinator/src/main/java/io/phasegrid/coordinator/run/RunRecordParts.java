package io.phasegrid.coordinator.run;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A {@link RunRecord} in parts, for a store that writes only what changed: a small header ({@link RunRecordCodec}'s
 * fields without the parts below), the blueprint, one part per chunk of phases (every column's chunk {@code k},
 * {@link Column#CHUNK} phases) and one per {@value #EVENTS_PER_PART} slots of the event ring.
 *
 * <p>Copy-on-write keeps what a transition did not write the same object in the next version of the record (a
 * column's chunk, the blueprint, an event), so a {@link Snapshot} of those identities at the last store tells which
 * parts changed since. The ready heap is no part: it is rebuilt from the {@link PhaseTable#IN_READY} flags (a phase
 * is in it exactly while flagged, and the heap orders by rank then index, so the rebuilt heap gives the same phases
 * in the same order).
 */
public final class RunRecordParts {

    /** Event ring slots per part. */
    public static final int EVENTS_PER_PART = 64;

    private RunRecordParts() {
    }

    /** Parts of phases: chunks of {@link Column#CHUNK}. */
    public static int phaseParts(RunRecord r) {
        return (r.phases.size + Column.CHUNK - 1) >>> Column.SHIFT;
    }

    /** Parts of the event ring. */
    public static int eventParts(RunRecord r) {
        return (r.events.capacity() + EVENTS_PER_PART - 1) / EVENTS_PER_PART;
    }

    /** Every field but the blueprint, the phases and the events; the sizes of the parts first. */
    public static void writeHeader(RunRecord r, WireOutput out) throws IOException {
        out.writeInt(r.phases.size);
        out.writeInt(r.events.capacity());
        RunRecordCodec.write(r, out, false);
    }

    public static void writeBlueprint(RunRecord r, WireOutput out) throws IOException {
        r.blueprint.writeTo(out);
    }

    /** Phases {@code part * CHUNK} to the next chunk's first: every column's chunk {@code part}. */
    public static void writePhases(RunRecord r, int part, WireOutput out) throws IOException {
        List<Column<?>> columns = r.phases.columns();
        List<Object> chunks = new ArrayList<>(columns.size());
        for (Column<?> column : columns) {
            chunks.add(column.chunks[part]);
        }
        RunRecordCodec.writeColumns(chunks, out);
    }

    /** Slots {@code part * EVENTS_PER_PART} to the next part's first of the event ring. */
    public static void writeEvents(RunRecord r, int part, WireOutput out) throws IOException {
        RunEvent[] slots = r.events.slots();
        int from = part * EVENTS_PER_PART;
        RunRecordCodec.writeEvents(Arrays.copyOfRange(slots, from, Math.min(slots.length, from + EVENTS_PER_PART)),
                out);
    }

    /**
     * The record the parts make; {@code phasePart} and {@code eventPart} answer the input of a part by index, or
     * null when it is missing (an IOException).
     */
    public static RunRecord read(WireInput header, WireInput blueprint, IntFunction<WireInput> phasePart,
            IntFunction<WireInput> eventPart) throws IOException {
        int size = header.readInt();
        int capacity = header.readInt();
        RunBlueprint b = RunBlueprint.readFrom(blueprint);
        if (b.size() != size) {
            throw new IOException("a header of " + size + " phases over a blueprint of " + b.size());
        }
        PhaseTable phases = size == 0 ? PhaseTable.create(0) : readPhases(size, phasePart);
        RunEvent[] slots = new RunEvent[capacity];
        for (int part = 0; part * EVENTS_PER_PART < capacity; part++) {
            RunEvent[] events = RunRecordCodec.readEvents(required(eventPart, part, "events"));
            int from = part * EVENTS_PER_PART;
            if (events.length != Math.min(EVENTS_PER_PART, capacity - from)) {
                throw new IOException("events part " + part + " of " + events.length + " slots");
            }
            System.arraycopy(events, 0, slots, from, events.length);
        }
        return RunRecordCodec.read(header, new RunRecordCodec.Parts(b, phases, slots));
    }

    private static PhaseTable readPhases(int size, IntFunction<WireInput> phasePart) throws IOException {
        List<Object> columns = null;
        for (int part = 0; part << Column.SHIFT < size; part++) {
            List<Object> chunks = RunRecordCodec.readColumns(required(phasePart, part, "phases"));
            int from = part << Column.SHIFT;
            if (columns == null) {
                columns = new ArrayList<>(chunks.size());
                for (Object chunk : chunks) {
                    columns.add(Array.newInstance(chunk.getClass().getComponentType(), size));
                }
            }
            if (chunks.size() != columns.size()) {
                throw new IOException("phases part " + part + " of " + chunks.size() + " columns, not "
                        + columns.size());
            }
            for (int c = 0; c < chunks.size(); c++) {
                Object chunk = chunks.get(c);
                int length = Array.getLength(chunk);
                if (length != Math.min(Column.CHUNK, size - from)) {
                    throw new IOException("phases part " + part + " holds " + length + " phases");
                }
                System.arraycopy(chunk, 0, columns.get(c), from, length);
            }
        }
        return PhaseTable.fromArrays(columns);
    }

    private static WireInput required(IntFunction<WireInput> parts, int part, String what) throws IOException {
        WireInput in = parts.apply(part);
        if (in == null) {
            throw new IOException(what + " part " + part + " is missing");
        }
        return in;
    }

    /** The ready heap of a table: its flagged phases by rank. */
    static LongIntHeap readyHeap(PhaseTable phases, RunBlueprint blueprint) {
        LongIntHeap heap = new LongIntHeap(Math.min(phases.size, 1024));
        for (int i = 0; i < phases.size; i++) {
            if (phases.has(i, PhaseTable.IN_READY)) {
                heap.add(blueprint.rank(i), i, 0);
            }
        }
        return heap;
    }

    /** Which parts of a record differ from the version a {@link Snapshot} was taken of. */
    public record Changes(boolean blueprint, BitSet phases, BitSet events) {
    }

    /**
     * The identities of a record's blueprint, column chunks and events, to compare a later version with. Holds
     * references only (a snapshot of the stored version shares its objects with the current one).
     */
    public static final class Snapshot {
        private final RunBlueprint blueprint;
        private final Object[][] chunks;
        private final RunEvent[] events;

        private Snapshot(RunRecord r) {
            blueprint = r.blueprint;
            List<Column<?>> columns = r.phases.columns();
            chunks = new Object[columns.size()][];
            for (int c = 0; c < chunks.length; c++) {
                chunks[c] = columns.get(c).chunks.clone();
            }
            events = r.events.slots();
        }

        public static Snapshot of(RunRecord r) {
            return new Snapshot(r);
        }

        /** The parts of this version that differ from {@code last}'s; every part when {@code last} is null. */
        public Changes since(Snapshot last) {
            int phaseParts = chunks.length == 0 ? 0 : chunks[0].length;
            int eventParts = (events.length + EVENTS_PER_PART - 1) / EVENTS_PER_PART;
            BitSet phases = new BitSet(phaseParts);
            BitSet changedEvents = new BitSet(eventParts);
            if (last == null || !sameShape(last)) {
                phases.set(0, phaseParts);
                changedEvents.set(0, eventParts);
                return new Changes(true, phases, changedEvents);
            }
            for (int c = 0; c < chunks.length; c++) {
                for (int k = 0; k < phaseParts; k++) {
                    if (chunks[c][k] != last.chunks[c][k]) {
                        phases.set(k);
                    }
                }
            }
            for (int i = 0; i < events.length; i++) {
                if (events[i] != last.events[i]) {
                    changedEvents.set(i / EVENTS_PER_PART);
                }
            }
            return new Changes(blueprint != last.blueprint, phases, changedEvents);
        }

        private boolean sameShape(Snapshot o) {
            if (o.chunks.length != chunks.length || o.events.length != events.length) {
                return false;
            }
            for (int c = 0; c < chunks.length; c++) {
                if (o.chunks[c].length != chunks[c].length) {
                    return false;
                }
            }
            return true;
        }
    }
}
