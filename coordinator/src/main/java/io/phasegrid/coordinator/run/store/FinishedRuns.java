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
 * Runs that finished at or before a cutoff (the retention janitor's and the sweeper's filter) or at or after it (the
 * plan releaser's), over a member's local keys. Reads the stored record without copying: processors never change a
 * stored record's state (copy-on-write).
 */
public final class FinishedRuns implements Predicate<String, RunRecord>, IdentifiedDataSerializable {

    private static final long serialVersionUID = 1L;

    private long cutoff;
    private boolean before;

    public FinishedRuns() {
    }

    private FinishedRuns(long cutoff, boolean before) {
        this.cutoff = cutoff;
        this.before = before;
    }

    /** Runs that finished at or before {@code cutoff}. */
    public static FinishedRuns before(long cutoff) {
        return new FinishedRuns(cutoff, true);
    }

    /** Runs that finished at or after {@code cutoff}. */
    public static FinishedRuns since(long cutoff) {
        return new FinishedRuns(cutoff, false);
    }

    @Override
    public boolean apply(Map.Entry<String, RunRecord> entry) {
        RunRecord r = entry.getValue();
        if (r == null || !r.state().isFinished()) {
            return false;
        }
        return before ? r.finishedAtMs() <= cutoff : r.finishedAtMs() >= cutoff;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_FINISHED;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(cutoff);
        out.writeBoolean(before);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        cutoff = in.readLong();
        before = in.readBoolean();
    }
}
