package io.phasegrid.coordinator.checkpoint;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** The checkpoints of the given runs (for removing them with a run). */
public final class CheckpointsOfRuns implements Predicate<CheckpointKey, Checkpoint>, IdentifiedDataSerializable {

    private static final long serialVersionUID = 1L;

    private Set<String> runIds;

    public CheckpointsOfRuns() {
    }

    public CheckpointsOfRuns(Set<String> runIds) {
        this.runIds = Set.copyOf(runIds);
    }

    @Override
    public boolean apply(Map.Entry<CheckpointKey, Checkpoint> entry) {
        return runIds.contains(entry.getKey().runId());
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.CHECKPOINTS_OF_RUNS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeStringArray(runIds.toArray(String[]::new));
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        runIds = Set.of(in.readStringArray());
    }
}
