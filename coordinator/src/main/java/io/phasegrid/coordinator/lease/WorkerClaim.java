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
 * A registration, atomic on the entry's owner: the worker's record is written when its name is free or already
 * registered by the same principal; a name another principal holds is left alone. Answers the principal that holds
 * the name after the call (the caller's own on success).
 */
public final class WorkerClaim implements EntryProcessor<String, WorkerRecord, String>, IdentifiedDataSerializable {

    private WorkerRecord record;
    private long ttlMs;

    public WorkerClaim() {
    }

    WorkerClaim(WorkerRecord record, long ttlMs) {
        this.record = record;
        this.ttlMs = ttlMs;
    }

    @Override
    public String process(Map.Entry<String, WorkerRecord> entry) {
        WorkerRecord held = entry.getValue();
        if (held != null && !held.principal().equals(record.principal())) {
            return held.principal();
        }
        ((ExtendedMapEntry<String, WorkerRecord>) entry).setValue(record, ttlMs, TimeUnit.MILLISECONDS);
        return record.principal();
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.WORKER_CLAIM;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        record.writeData(out);
        out.writeLong(ttlMs);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        record = new WorkerRecord();
        record.readData(in);
        ttlMs = in.readLong();
    }
}
