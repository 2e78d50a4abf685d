package io.phasegrid.coordinator.checkpoint;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.List;

/**
 * A phase's progress as its executor last saved it: the plans done and an opaque blob. Immutable once made.
 *
 * @see CheckpointStore
 */
public final class Checkpoint implements IdentifiedDataSerializable {

    private long epoch;
    private String[] completedPlans;
    private byte[] blob;
    private long tokensSoFar;
    private long savedAtMs;
    private String commit = "";

    public Checkpoint() {
    }

    public Checkpoint(long epoch, List<String> completedPlans, byte[] blob, long tokensSoFar, long savedAtMs) {
        this(epoch, completedPlans, blob, tokensSoFar, savedAtMs, "");
    }

    /** @param commit git leases: the commit holding the completed plans' work (empty for a plain lease) */
    public Checkpoint(long epoch, List<String> completedPlans, byte[] blob, long tokensSoFar, long savedAtMs,
            String commit) {
        this.commit = commit == null ? "" : commit;
        this.epoch = epoch;
        this.completedPlans = completedPlans.toArray(String[]::new);
        this.blob = blob == null ? new byte[0] : blob.clone();
        this.tokensSoFar = tokensSoFar;
        this.savedAtMs = savedAtMs;
    }

    /** Epoch of the lease that saved it. */
    public long epoch() {
        return epoch;
    }

    public List<String> completedPlans() {
        return List.of(completedPlans);
    }

    public byte[] blob() {
        return blob.clone();
    }

    public long tokensSoFar() {
        return tokensSoFar;
    }

    public long savedAtMs() {
        return savedAtMs;
    }

    /** Git leases: the commit of the completed plans' work, where a later lease resumes; empty otherwise. */
    public String commit() {
        return commit;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.CHECKPOINT;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(epoch);
        out.writeStringArray(completedPlans);
        out.writeByteArray(blob);
        out.writeLong(tokensSoFar);
        out.writeLong(savedAtMs);
        out.writeString(commit);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        epoch = in.readLong();
        completedPlans = in.readStringArray();
        blob = in.readByteArray();
        tokensSoFar = in.readLong();
        savedAtMs = in.readLong();
        commit = in.readString();
    }
}
