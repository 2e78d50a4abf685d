package io.phasegrid.coordinator.run.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.GitRun;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.store.codec.HazelcastWire;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of a {@link RunSummary}, the answer of {@link ReadProcessors.View}. Hazelcast serializes a
 * processor's result on the partition thread even for a local caller; as a Java-serialized record a 10,000-phase
 * view cost the partition thread more than leasing and completing its phases.
 */
public final class SummaryData implements IdentifiedDataSerializable {

    private RunSummary summary;

    /** For deserialization. */
    public SummaryData() {
    }

    SummaryData(RunSummary summary) {
        this.summary = summary;
    }

    public RunSummary summary() {
        return summary;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_SUMMARY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        RunSummary s = summary;
        out.writeString(s.runId());
        out.writeString(s.name());
        out.writeByte(s.state().ordinal());
        out.writeString(s.pauseReason());
        out.writeLong(s.createdAtMs());
        out.writeLong(s.startedAtMs());
        out.writeLong(s.finishedAtMs());
        out.writeLong(s.tokensReserved());
        out.writeLong(s.tokensUsed());
        out.writeInt(s.runningCount());
        out.writeInt(s.maxParallelism());
        out.writeInt(s.fallbacks());
        out.writeBoolean(s.sequentialFallback());
        s.settings().writeTo(HazelcastWire.of(out));
        out.writeLong(s.lastSequence());
        out.writeInt(s.readyCount());
        out.writeLong(s.oldestReadyAtMs());
        out.writeBoolean(s.git() != null);
        if (s.git() != null) {
            s.git().writeTo(HazelcastWire.of(out));
        }
        out.writeInt(s.phases().size());
        for (PhaseView p : s.phases()) {
            writePhase(out, p);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        String runId = in.readString();
        String name = in.readString();
        RunState state = RunState.values()[in.readByte()];
        String pauseReason = in.readString();
        long createdAtMs = in.readLong();
        long startedAtMs = in.readLong();
        long finishedAtMs = in.readLong();
        long tokensReserved = in.readLong();
        long tokensUsed = in.readLong();
        int runningCount = in.readInt();
        int maxParallelism = in.readInt();
        int fallbacks = in.readInt();
        boolean sequentialFallback = in.readBoolean();
        RunSettings settings = RunSettings.readFrom(HazelcastWire.of(in));
        long lastSequence = in.readLong();
        int readyCount = in.readInt();
        long oldestReadyAtMs = in.readLong();
        GitRun git = in.readBoolean() ? GitRun.readFrom(HazelcastWire.of(in)) : null;
        int count = in.readInt();
        List<PhaseView> phases = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            phases.add(readPhase(in));
        }
        summary = new RunSummary(runId, name, state, pauseReason, createdAtMs, startedAtMs, finishedAtMs,
                List.copyOf(phases), tokensReserved, tokensUsed, runningCount, maxParallelism, fallbacks,
                sequentialFallback, settings, lastSequence, readyCount, oldestReadyAtMs, git);
    }

    private static void writePhase(ObjectDataOutput out, PhaseView p) throws IOException {
        out.writeInt(p.index());
        out.writeString(p.key());
        out.writeString(p.name());
        out.writeByte(p.state().ordinal());
        out.writeInt(p.attempts());
        out.writeInt(p.failures());
        out.writeInt(p.requeues());
        out.writeLong(p.epoch());
        out.writeString(p.worker());
        out.writeLong(p.startedAtMs());
        out.writeLong(p.finishedAtMs());
        out.writeLong(p.tokens());
        out.writeString(p.reason());
        out.writeLong(p.notBeforeMs());
        out.writeLong(p.estimatedTokens());
        out.writeStringArray(p.dependsOn().toArray(String[]::new));
        out.writeStringArray(p.inferredDependsOn().toArray(String[]::new));
        out.writeString(p.resultCommit());
        out.writeStringArray(p.conflictPaths().toArray(String[]::new));
        out.writeString(p.deliveryNote());
    }

    private static PhaseView readPhase(ObjectDataInput in) throws IOException {
        return new PhaseView(in.readInt(), in.readString(), in.readString(), PhaseState.values()[in.readByte()],
                in.readInt(), in.readInt(), in.readInt(), in.readLong(), in.readString(), in.readLong(),
                in.readLong(), in.readLong(), in.readString(), in.readLong(), in.readLong(),
                List.of(in.readStringArray()), List.of(in.readStringArray()), in.readString(),
                List.of(in.readStringArray()), in.readString());
    }
}
