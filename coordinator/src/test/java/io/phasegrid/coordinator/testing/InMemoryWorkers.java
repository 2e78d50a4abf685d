package io.phasegrid.coordinator.testing;

import com.hazelcast.map.EntryProcessor;
import io.phasegrid.coordinator.lease.WorkerEntries;
import io.phasegrid.coordinator.lease.WorkerRecord;

/**
 * The registered workers in memory: the production claim and heartbeat processors on plain entries. Their time to
 * live is ignored, so a worker stays registered until {@link #remove} (a test's expired registration).
 */
public final class InMemoryWorkers implements WorkerEntries {

    private final InMemoryEntries<WorkerRecord> workers = new InMemoryEntries<>();

    @Override
    public WorkerRecord get(String workerId) {
        return workers.get(workerId);
    }

    @Override
    public <R> R execute(String workerId, EntryProcessor<String, WorkerRecord, R> processor) {
        return workers.execute(workerId, processor);
    }

    /** The registration leaves, as when its time to live passes on a member. */
    public void remove(String workerId) {
        workers.remove(workerId);
    }
}
