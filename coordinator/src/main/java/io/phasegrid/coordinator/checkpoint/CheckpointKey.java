package io.phasegrid.coordinator.checkpoint;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.partition.PartitionAware;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.Objects;

/** Key of a phase's checkpoint; partitioned by the run id, so it lives in the run's partition. */
public final class CheckpointKey implements PartitionAware<String>, IdentifiedDataSerializable {

    private String runId;
    private String phaseKey;

    public CheckpointKey() {
    }

    public CheckpointKey(String runId, String phaseKey) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.phaseKey = Objects.requireNonNull(phaseKey, "phaseKey");
    }

    public String runId() {
        return runId;
    }

    public String phaseKey() {
        return phaseKey;
    }

    @Override
    public String getPartitionKey() {
        return runId;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.CHECKPOINT_KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(runId);
        out.writeString(phaseKey);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        runId = in.readString();
        phaseKey = in.readString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointKey k && runId.equals(k.runId) && phaseKey.equals(k.phaseKey);
    }

    @Override
    public int hashCode() {
        return runId.hashCode() * 31 + phaseKey.hashCode();
    }

    @Override
    public String toString() {
        return runId + "/" + phaseKey;
    }
}
