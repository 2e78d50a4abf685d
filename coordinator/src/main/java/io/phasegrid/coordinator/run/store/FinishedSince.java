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
 * Runs that finished at or after {@code cutoff} (the plan releaser's filter over its member's local keys).
 * Reads the stored record without copying: processors never change a stored record's state (copy-on-write).
 */
public final class FinishedSince implements Predicate<String, RunRecord>, IdentifiedDataSerializable {

    private static final long serialVersionUID = 1L;

    private long cutoff;

    public FinishedSince() {
    }

    public FinishedSince(long cutoff) {
        this.cutoff = cutoff;
    }

    @Override
    public boolean apply(Map.Entry<String, RunRecord> entry) {
        RunRecord r = entry.getValue();
        return r != null && r.state().isFinished() && r.finishedAtMs() >= cutoff;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_FINISHED_SINCE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(cutoff);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        cutoff = in.readLong();
    }
}
