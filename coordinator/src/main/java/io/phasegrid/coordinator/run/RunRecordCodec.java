package io.phasegrid.coordinator.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The binary form of a {@link RunRecord}: every field as it is (the per-phase columns, the three heaps in heap
 * order, the event ring slot by slot), so a migrated or backed-up record dispatches exactly like the original. The
 * columns are written generically from {@link PhaseTable#toArrays()}: a new per-phase field needs no line here.
 * The blueprint is written inline. Hazelcast reaches it through {@code run.store.codec.RunRecordSerializer}.
 */
public final class RunRecordCodec {

    private static final byte BYTES = 1;
    private static final byte INTS = 2;
    private static final byte LONGS = 3;
    private static final byte STRINGS = 4;

    private static final byte EVENT_NONE = 0;
    private static final byte EVENT_PHASE = 1;
    private static final byte EVENT_RUN = 2;

    private RunRecordCodec() {
    }

    /** Every field as it is: a read gives a record that dispatches exactly like {@code r}. */
    public static void write(RunRecord r, WireOutput out) throws IOException {
        write(r, out, true);
    }

    /**
     * {@code whole} false: the header of {@link RunRecordParts}, every field but the blueprint, the columns, the
     * ready heap (rebuilt from the columns) and the event ring, which are parts of their own.
     */
    static void write(RunRecord r, WireOutput out, boolean whole) throws IOException {
        out.writeString(r.runId);
        out.writeString(r.name);
        if (whole) {
            r.blueprint.writeTo(out);
        }
        out.writeByte(r.runState.ordinal());
        out.writeString(r.pauseReason);
        out.writeLong(r.createdAtMs);
        out.writeLong(r.startedAtMs);
        out.writeBoolean(r.started);
        out.writeLong(r.finishedAtMs);
        out.writeLong(r.clock);
        out.writeLong(r.version);
        out.writeInt(r.fallbacks);
        out.writeBoolean(r.sequentialFallback);
        if (whole) {
            writeColumns(r.phases.toArrays(), out);
        }
        PhaseCounts c = r.counts;
        out.writeIntArray(c.byState);
        out.writeIntArray(c.waveUnfinished);
        out.writeInt(c.currentWave);
        out.writeInt(c.running);
        out.writeInt(c.maxParallelism);
        if (whole) {
            writeHeap(r.queues.ready, out);
        }
        writeHeap(r.queues.delayed, out);
        writeHeap(r.queues.deadlines, out);
        RunFunding f = r.funding;
        out.writeLong(f.tokensReserved);
        out.writeLong(f.tokensUsed);
        out.writeInt(f.incarnation);
        out.writeLong(f.usedBase);
        out.writeInt(f.reservedLeases);
        out.writeLong(f.unconfirmedReserved);
        out.writeInt(f.unconfirmedLeases);
        out.writeInt(f.unconfirmedCalls.size());
        for (Map.Entry<Long, Integer> call : f.unconfirmedCalls.entrySet()) {
            out.writeLong(call.getKey());
            out.writeInt(call.getValue());
        }
        out.writeLong(r.events.lastSequence());
        if (whole) {
            writeEvents(r.events.slots(), out);
        }
    }

    /** What a header ({@code write(r, out, false)}) leaves to the other parts of {@link RunRecordParts}. */
    record Parts(RunBlueprint blueprint, PhaseTable phases, RunEvent[] events) {
    }

    /** Reads what {@link #write} wrote. */
    public static RunRecord read(WireInput in) throws IOException {
        return read(in, null);
    }

    /** Reads a whole record ({@code parts} null) or a header over its other parts. */
    static RunRecord read(WireInput in, Parts parts) throws IOException {
        RunRecord r = new RunRecord();
        r.runId = in.readString();
        r.name = in.readString();
        r.blueprint = parts == null ? RunBlueprint.readFrom(in) : parts.blueprint();
        r.runState = RunState.of(in.readByte());
        r.pauseReason = in.readString();
        r.createdAtMs = in.readLong();
        r.startedAtMs = in.readLong();
        r.started = in.readBoolean();
        r.finishedAtMs = in.readLong();
        r.clock = in.readLong();
        r.version = in.readLong();
        r.fallbacks = in.readInt();
        r.sequentialFallback = in.readBoolean();
        r.phases = parts == null ? PhaseTable.fromArrays(readColumns(in)) : parts.phases();
        r.counts = new PhaseCounts(in.readIntArray(), in.readIntArray(), in.readInt(), in.readInt(), in.readInt());
        LongIntHeap ready = parts == null ? readHeap(in) : RunRecordParts.readyHeap(r.phases, r.blueprint);
        r.queues = new DispatchQueues(r.phases, ready, readHeap(in), readHeap(in));
        RunFunding f = new RunFunding(r.phases);
        f.tokensReserved = in.readLong();
        f.tokensUsed = in.readLong();
        f.incarnation = in.readInt();
        f.usedBase = in.readLong();
        f.reservedLeases = in.readInt();
        f.unconfirmedReserved = in.readLong();
        f.unconfirmedLeases = in.readInt();
        Map<Long, Integer> calls = new TreeMap<>();
        for (int k = in.readInt(); k > 0; k--) {
            calls.put(in.readLong(), in.readInt());
        }
        f.restoreCalls(calls);
        r.funding = f;
        long lastSequence = in.readLong();
        r.events = EventLog.of(parts == null ? readEvents(in) : parts.events(), lastSequence);
        return r;
    }

    static void writeColumns(List<Object> columns, WireOutput out) throws IOException {
        out.writeInt(columns.size());
        for (Object column : columns) {
            if (column instanceof byte[] b) {
                out.writeByte(BYTES);
                out.writeByteArray(b);
            } else if (column instanceof int[] i) {
                out.writeByte(INTS);
                out.writeIntArray(i);
            } else if (column instanceof long[] l) {
                out.writeByte(LONGS);
                out.writeLongArray(l);
            } else {
                out.writeByte(STRINGS);
                out.writeStringArray((String[]) column);
            }
        }
    }

    static List<Object> readColumns(WireInput in) throws IOException {
        int count = in.readInt();
        List<Object> columns = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            byte type = in.readByte();
            columns.add(switch (type) {
                case BYTES -> in.readByteArray();
                case INTS -> in.readIntArray();
                case LONGS -> in.readLongArray();
                case STRINGS -> in.readStringArray();
                default -> throw new IOException("unknown column type " + type);
            });
        }
        return columns;
    }

    /** The live entries in heap order (so reading them back needs no re-heapify). */
    private static void writeHeap(LongIntHeap heap, WireOutput out) throws IOException {
        out.writeLongArray(heap.keys());
        out.writeIntArray(heap.values());
        out.writeLongArray(heap.tags());
    }

    private static LongIntHeap readHeap(WireInput in) throws IOException {
        return LongIntHeap.of(in.readLongArray(), in.readIntArray(), in.readLongArray());
    }

    static void writeEvents(RunEvent[] slots, WireOutput out) throws IOException {
        out.writeInt(slots.length);
        for (RunEvent event : slots) {
            if (event instanceof RunEvent.PhaseChanged p) {
                out.writeByte(EVENT_PHASE);
                out.writeLong(p.sequence());
                out.writeLong(p.atMs());
                out.writeString(p.key());
                out.writeByte(p.state().ordinal());
                out.writeInt(p.attempt());
                out.writeString(p.worker());
                out.writeString(p.reason());
                out.writeLong(p.tokens());
            } else if (event instanceof RunEvent.RunChanged run) {
                out.writeByte(EVENT_RUN);
                out.writeLong(run.sequence());
                out.writeLong(run.atMs());
                out.writeByte(run.state().ordinal());
                out.writeString(run.pauseReason());
            } else {
                out.writeByte(EVENT_NONE);
            }
        }
    }

    static RunEvent[] readEvents(WireInput in) throws IOException {
        RunEvent[] slots = new RunEvent[in.readInt()];
        for (int i = 0; i < slots.length; i++) {
            byte type = in.readByte();
            if (type == EVENT_PHASE) {
                slots[i] = new RunEvent.PhaseChanged(in.readLong(), in.readLong(), in.readString(),
                        PhaseState.of(in.readByte()), in.readInt(), in.readString(), in.readString(), in.readLong());
            } else if (type == EVENT_RUN) {
                slots[i] = new RunEvent.RunChanged(in.readLong(), in.readLong(), RunState.of(in.readByte()),
                        in.readString());
            }
        }
        return slots;
    }
}
