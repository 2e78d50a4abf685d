package io.phasegrid.coordinator.checkpoint;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checkpoints in {@code phasegrid.checkpoints}, one per (run, phase), in the run's partition. The caller checks the
 * lease first (the run processor that renews it); {@link #save} then writes with {@link Save}, which keeps the
 * checkpoint of the newest epoch: a late write from an older lease never replaces a newer lease's checkpoint.
 * Checkpoints stay when a lease expires or fails, so the next lease resumes from them.
 */
public final class CheckpointStore implements CheckpointRepository {

    private final IMap<CheckpointKey, Checkpoint> map;

    public CheckpointStore(HazelcastInstance hazelcast) {
        this.map = hazelcast.getMap(MapNames.CHECKPOINTS);
    }

    @Override
    public boolean save(String runId, String phaseKey, Checkpoint checkpoint) {
        return map.executeOnKey(new CheckpointKey(runId, phaseKey), new Save(checkpoint));
    }

    @Override
    public Checkpoint get(String runId, String phaseKey) {
        return map.get(new CheckpointKey(runId, phaseKey));
    }

    /** Several checkpoints of one run in one call (the keys share the run's partition). */
    @Override
    public Map<CheckpointKey, Checkpoint> getAll(String runId, Collection<String> phaseKeys) {
        Set<CheckpointKey> keys = new java.util.HashSet<>();
        for (String key : phaseKeys) {
            keys.add(new CheckpointKey(runId, key));
        }
        return keys.isEmpty() ? Map.of() : map.getAll(keys);
    }

    /** Writes the checkpoint unless a newer epoch's is stored; answers whether it was written. */
    public static final class Save
            implements EntryProcessor<CheckpointKey, Checkpoint, Boolean>, IdentifiedDataSerializable {
        private Checkpoint checkpoint;

        public Save() {
        }

        public Save(Checkpoint checkpoint) {
            this.checkpoint = checkpoint;
        }

        @Override
        public Boolean process(Map.Entry<CheckpointKey, Checkpoint> entry) {
            Checkpoint stored = entry.getValue();
            if (stored != null && stored.epoch() > checkpoint.epoch()) {
                return false;
            }
            entry.setValue(checkpoint);
            return true;
        }

        @Override
        public int getFactoryId() {
            return SerializationIds.FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return SerializationIds.CHECKPOINT_SAVE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeObject(checkpoint);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            checkpoint = in.readObject();
        }
    }

}
