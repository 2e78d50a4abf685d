package io.phasegrid.coordinator.lease;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A heartbeat's change of a worker's record, atomic on the entry's owner: the slots (0 = keep the registered ones),
 * the busy slots, the time it was heard from and a renewed time to live. Name and labels stay as the last
 * registration set them, so a heartbeat never undoes a registration made meanwhile through another member. Answers
 * the record as it is after the call, unchanged when {@code busy} exceeds the slots (the caller refuses that), or
 * null for a worker not registered (nothing is created).
 */
public final class WorkerHeartbeat implements EntryProcessor<String, WorkerRecord, WorkerRecord>,
        IdentifiedDataSerializable {

    private int slots;
    private int busy;
    private long now;
    private long ttlMs;

    public WorkerHeartbeat() {
    }

    WorkerHeartbeat(int slots, int busy, long now, long ttlMs) {
        this.slots = slots;
        this.busy = busy;
        this.now = now;
        this.ttlMs = ttlMs;
    }

    @Override
    public WorkerRecord process(Map.Entry<String, WorkerRecord> entry) {
        WorkerRecord record = entry.getValue();
        if (record == null) {
            return null;
        }
        int total = slots > 0 ? slots : record.slots();
        if (busy > total) {
            return record;
        }
        WorkerRecord updated = new WorkerRecord(record.workerId(), record.principal(), record.name(), total, busy,
                record.labels(), Math.max(now, record.lastSeenMs()));
        ((ExtendedMapEntry<String, WorkerRecord>) entry).setValue(updated, ttlMs, TimeUnit.MILLISECONDS);
        return updated;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.WORKER_HEARTBEAT;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(slots);
        out.writeInt(busy);
        out.writeLong(now);
        out.writeLong(ttlMs);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        slots = in.readInt();
        busy = in.readInt();
        now = in.readLong();
        ttlMs = in.readLong();
    }
}
