package io.phasegrid.coordinator.run;

import java.io.IOException;

/** The binary form of a {@link RunBlueprint}: the compiled arrays as they are; the key index is rebuilt lazily. */
final class RunBlueprintCodec {

    private RunBlueprintCodec() {
    }

    static void write(RunBlueprint b, WireOutput out) throws IOException {
        b.settings.writeTo(out);
        out.writeStringArray(b.keys);
        out.writeStringArray(b.names);
        out.writeLongArray(b.estimates);
        out.writeIntArray(b.depStart);
        out.writeIntArray(b.deps);
        out.writeBooleanArray(b.depInferred);
        out.writeIntArray(b.dependentStart);
        out.writeIntArray(b.dependents);
        out.writeBooleanArray(b.skipped);
        out.writeLongArray(b.priority);
        out.writeIntArray(b.rank);
        out.writeIntArray(b.wave);
        out.writeInt(b.waveCount);
        out.writeIntArray(b.planStart);
        out.writeStringArray(b.planIds);
        out.writeStringArray(b.planPaths);
        out.writeBoolean(b.git != null);
        if (b.git != null) {
            b.git.writeTo(out);
        }
    }

    static RunBlueprint read(WireInput in) throws IOException {
        RunBlueprint b = new RunBlueprint();
        b.settings = RunSettings.readFrom(in);
        b.keys = in.readStringArray();
        b.names = in.readStringArray();
        b.estimates = in.readLongArray();
        b.depStart = in.readIntArray();
        b.deps = in.readIntArray();
        b.depInferred = in.readBooleanArray();
        b.dependentStart = in.readIntArray();
        b.dependents = in.readIntArray();
        b.skipped = in.readBooleanArray();
        b.priority = in.readLongArray();
        b.rank = in.readIntArray();
        b.wave = in.readIntArray();
        b.waveCount = in.readInt();
        b.planStart = in.readIntArray();
        b.planIds = in.readStringArray();
        b.planPaths = in.readStringArray();
        b.git = in.readBoolean() ? GitRun.readFrom(in) : null;
        return b;
    }
}
