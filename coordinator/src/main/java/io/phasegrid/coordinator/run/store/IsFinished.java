package io.phasegrid.coordinator.run.store;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.RunRecord;
import java.util.Map;

/** Read-only: whether the run is finished; an entry that does not exist answers null (a deleted run). */
public final class IsFinished implements EntryProcessor<String, RunRecord, Boolean>, ReadOnly,
        IdentifiedDataSerializable {

    @Override
    public Boolean process(Map.Entry<String, RunRecord> entry) {
        RunRecord record = entry.getValue();
        return record == null ? null : record.state().isFinished();
    }

    @Override
    public EntryProcessor<String, RunRecord, Boolean> getBackupProcessor() {
        return null;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_IS_FINISHED;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
    }

    @Override
    public void readData(ObjectDataInput in) {
    }
}
