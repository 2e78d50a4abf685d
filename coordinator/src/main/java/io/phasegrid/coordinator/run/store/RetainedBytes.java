package io.phasegrid.coordinator.run.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The cluster's account of plan contents held in {@code phasegrid.runmeta}: per run the bytes its metadata holds
 * (runs holding none are not listed) and when they were reserved. One entry of {@code phasegrid.retained}, changed
 * only by {@link RetainedBytesProcessors} (atomic on the entry's owner, replayed on its backup), so concurrent
 * submissions through any members are admitted one after the other against the same total. A run's bytes only go
 * down after its reservation (a finished run releases contents, retention removes the run), so every update is a
 * minimum and a stale or repeated one cannot raise the total.
 */
public final class RetainedBytes implements IdentifiedDataSerializable {

    /** A run's bytes and the time (coordinator clock) they were reserved. */
    record Held(long bytes, long reservedAtMs) {
    }

    private final Map<String, Held> runs = new HashMap<>();
    private long total;

    public RetainedBytes() {
    }

    RetainedBytes copy() {
        RetainedBytes c = new RetainedBytes();
        c.runs.putAll(runs);
        c.total = total;
        return c;
    }

    /** Bytes held by all listed runs. */
    public long total() {
        return total;
    }

    /** The bytes listed for {@code runId}; 0 when it holds none. */
    public long of(String runId) {
        Held h = runs.get(runId);
        return h == null ? 0 : h.bytes();
    }

    Map<String, Held> runs() {
        return runs;
    }

    /** Lists the run's bytes unless that passes {@code cap}; a run listed already is accepted as it is. */
    boolean reserve(String runId, long bytes, long cap, long now) {
        if (bytes <= 0 || runs.containsKey(runId)) {
            return true;
        }
        if (bytes > cap - total) {
            return false;
        }
        runs.put(runId, new Held(bytes, now));
        total += bytes;
        return true;
    }

    /** The run holds at most {@code bytes} now (0 or less: nothing, or no metadata at all). */
    boolean shrink(String runId, long bytes) {
        Held h = runs.get(runId);
        if (h == null || bytes >= h.bytes()) {
            return false;
        }
        if (bytes <= 0) {
            runs.remove(runId);
            total -= h.bytes();
        } else {
            runs.put(runId, new Held(bytes, h.reservedAtMs()));
            total -= h.bytes() - bytes;
        }
        return true;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RETAINED_BYTES;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(runs.size());
        for (Map.Entry<String, Held> e : runs.entrySet()) {
            out.writeString(e.getKey());
            out.writeLong(e.getValue().bytes());
            out.writeLong(e.getValue().reservedAtMs());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        runs.clear();
        total = 0;
        for (int i = 0; i < n; i++) {
            String runId = in.readString();
            Held h = new Held(in.readLong(), in.readLong());
            runs.put(runId, h);
            total += h.bytes();
        }
    }
}
