package io.phasegrid.coordinator.testing;

import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.checkpoint.CheckpointKey;
import io.phasegrid.coordinator.checkpoint.CheckpointRepository;
import io.phasegrid.coordinator.checkpoint.CheckpointStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The checkpoints in memory, one {@link InMemoryEntries} entry per (run, phase): saved with the production
 * {@link CheckpointStore.Save}, so a late save of an older epoch is dropped as on a member.
 */
public final class InMemoryCheckpoints implements CheckpointRepository {

    private final InMemoryEntries<Checkpoint> checkpoints = new InMemoryEntries<>();

    @Override
    public boolean save(String runId, String phaseKey, Checkpoint checkpoint) {
        CheckpointStore.Save save = new CheckpointStore.Save(checkpoint);
        CheckpointKey key = new CheckpointKey(runId, phaseKey);
        return checkpoints.execute(entryKey(runId, phaseKey), entry -> save.process(new KeyedEntry(key, entry)));
    }

    @Override
    public Checkpoint get(String runId, String phaseKey) {
        return checkpoints.get(entryKey(runId, phaseKey));
    }

    @Override
    public Map<CheckpointKey, Checkpoint> getAll(String runId, Collection<String> phaseKeys) {
        Map<CheckpointKey, Checkpoint> out = new HashMap<>();
        for (String phaseKey : phaseKeys) {
            Checkpoint stored = get(runId, phaseKey);
            if (stored != null) {
                out.put(new CheckpointKey(runId, phaseKey), stored);
            }
        }
        return out;
    }

    /** Run ids and phase keys hold no NUL, so the pair is one string key. */
    private static String entryKey(String runId, String phaseKey) {
        return runId + '\0' + phaseKey;
    }

    /** The string-keyed entry as the (run, phase)-keyed one {@link CheckpointStore.Save} processes. */
    private record KeyedEntry(CheckpointKey key, Map.Entry<String, Checkpoint> entry)
            implements Map.Entry<CheckpointKey, Checkpoint> {
        @Override
        public CheckpointKey getKey() {
            return key;
        }

        @Override
        public Checkpoint getValue() {
            return entry.getValue();
        }

        @Override
        public Checkpoint setValue(Checkpoint value) {
            return entry.setValue(value);
        }
    }
}
