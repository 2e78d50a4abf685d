package io.phasegrid.coordinator.lease;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

/**
 * Where the registered workers' records are kept: one entry per worker id, written only by processors
 * ({@link WorkerClaim}, {@link WorkerHeartbeat}) that give it a time to live, atomically. On a member it is
 * {@code phasegrid.workers} ({@link #of}); a test can keep plain entries, whose processors' entries then implement
 * {@link com.hazelcast.map.ExtendedMapEntry}.
 */
public interface WorkerEntries {

    /** The stored record, null when none. */
    WorkerRecord get(String workerId);

    <R> R execute(String workerId, EntryProcessor<String, WorkerRecord, R> processor);

    /** The entries of {@code map}. */
    static WorkerEntries of(IMap<String, WorkerRecord> map) {
        return new WorkerEntries() {
            @Override
            public WorkerRecord get(String workerId) {
                return map.get(workerId);
            }

            @Override
            public <R> R execute(String workerId, EntryProcessor<String, WorkerRecord, R> processor) {
                return map.executeOnKey(workerId, processor);
            }
        };
    }
}
