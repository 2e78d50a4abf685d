package io.phasegrid.coordinator.checkpoint;

import java.util.Collection;
import java.util.Map;

/**
 * The phases' checkpoints as the worker gateway uses them, one per (run, phase). {@link CheckpointStore} keeps them
 * in {@code phasegrid.checkpoints}; a test can keep them in memory, saving with the same {@link CheckpointStore.Save}.
 */
public interface CheckpointRepository {

    /** @return false when a checkpoint of a newer epoch is already stored (this one is dropped) */
    boolean save(String runId, String phaseKey, Checkpoint checkpoint);

    /** The phase's checkpoint or null. */
    Checkpoint get(String runId, String phaseKey);

    /** Several checkpoints of one run in one call; phases without one are left out. */
    Map<CheckpointKey, Checkpoint> getAll(String runId, Collection<String> phaseKeys);
}
