package io.phasegrid.coordinator.run.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.RunRecord;
import java.io.IOException;
import java.util.Map;

/**
 * Runs with a lease deadline at or before {@code now} (the sweeper's filter over its member's local keys). Reads the
 * stored record without copying: processors never change a stored record's state (copy-on-write; taking a copy
 * only clears the chunk ownership flags of its {@code Column}s, which readers never look at), so it is stable.
 */
public final class DueForSweep implements Predicate<String, RunRecord>, IdentifiedDataSerializable {

    private static final long serialVersionUID = 1L;

    private long now;

    public DueForSweep() {
    }

    public DueForSweep(long now) {
        this.now = now;
    }

    @Override
    public boolean apply(Map.Entry<String, RunRecord> entry) {
        RunRecord r = entry.getValue();
        return r != null && r.nextDeadline() <= now;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_DUE_FOR_SWEEP;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(now);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        now = in.readLong();
    }
}
