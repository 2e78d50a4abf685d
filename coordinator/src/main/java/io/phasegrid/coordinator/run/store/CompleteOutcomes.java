package io.phasegrid.coordinator.run.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.ledger.LedgerShare;
import io.phasegrid.coordinator.run.CompleteResult;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of {@link ReportProcessors.Complete}: one {@link CompleteOutcome} per report, in order. Column-wise and
 * {@link IdentifiedDataSerializable} because Hazelcast serializes a processor's result on the partition thread even
 * for a local caller (Java serialization there cost ~10 % of the coordinator's CPU in the throughput benchmark).
 */
public final class CompleteOutcomes implements IdentifiedDataSerializable {

    private static final byte NONE = -1;

    private byte[] refusals;
    private byte[] phaseStates;
    private long[] retryAt;
    private String[] messages;
    private long[] startedAt;
    private RunState runState;
    private int newlyBlocked;
    private int maxParallelism;
    private boolean finishedRun;
    private LedgerShare share;

    /** For deserialization. */
    public CompleteOutcomes() {
    }

    CompleteOutcomes(List<CompleteResult> results, long[] startedAt,
            RunState runState, int newlyBlocked, int maxParallelism, boolean finishedRun) {
        int n = results.size();
        refusals = new byte[n];
        phaseStates = new byte[n];
        retryAt = new long[n];
        messages = new String[n];
        for (int k = 0; k < n; k++) {
            CompleteResult r = results.get(k);
            refusals[k] = r.refusal() == null ? NONE : (byte) r.refusal().ordinal();
            phaseStates[k] = r.phaseState() == null ? NONE : (byte) r.phaseState().ordinal();
            retryAt[k] = r.retryAtMs();
            messages[k] = r.message();
        }
        this.startedAt = startedAt;
        this.runState = runState;
        this.newlyBlocked = newlyBlocked;
        this.maxParallelism = maxParallelism;
        this.finishedRun = finishedRun;
    }

    /** The run's ledger share after the batch; null when the batch changed nothing (every report refused). */
    public LedgerShare share() {
        return share;
    }

    CompleteOutcomes withShare(LedgerShare share) {
        this.share = share;
        return this;
    }

    /** This batch ended the run (it was active before). */
    public boolean finishedRun() {
        return finishedRun;
    }

    /** When the attempt of report {@code k} was leased (0 for an unknown phase): its duration's start. */
    public long startedAtMs(int k) {
        return startedAt[k];
    }

    /** Phases the batch's failures made BLOCKED. */
    public int newlyBlocked() {
        return newlyBlocked;
    }

    /** The run's max parallelism after the batch (for a run that finished). */
    public int maxParallelism() {
        return maxParallelism;
    }

    public int size() {
        return refusals.length;
    }

    public CompleteOutcome get(int k) {
        CompleteResult result = new CompleteResult(
                refusals[k] == NONE ? null : CompleteResult.Refusal.values()[refusals[k]],
                phaseStates[k] == NONE ? null : PhaseState.values()[phaseStates[k]], retryAt[k], messages[k]);
        return new CompleteOutcome(result, runState);
    }

    public List<CompleteOutcome> all() {
        List<CompleteOutcome> out = new ArrayList<>(size());
        for (int k = 0; k < size(); k++) {
            out.add(get(k));
        }
        return out;
    }

    public RunState runState() {
        return runState;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_COMPLETE_OUTCOMES;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(refusals);
        out.writeByteArray(phaseStates);
        out.writeLongArray(retryAt);
        out.writeStringArray(messages);
        out.writeLongArray(startedAt);
        out.writeByte(runState.ordinal());
        out.writeInt(newlyBlocked);
        out.writeInt(maxParallelism);
        out.writeBoolean(finishedRun);
        out.writeObject(share);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        refusals = in.readByteArray();
        phaseStates = in.readByteArray();
        retryAt = in.readLongArray();
        messages = in.readStringArray();
        startedAt = in.readLongArray();
        runState = RunState.values()[in.readByte()];
        newlyBlocked = in.readInt();
        maxParallelism = in.readInt();
        finishedRun = in.readBoolean();
        share = in.readObject();
    }
}
