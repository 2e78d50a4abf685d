package io.phasegrid.coordinator.run.store.codec;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunRecordCodec;
import java.io.IOException;

/**
 * Hazelcast's serializer of a {@link RunRecord} (value of {@code phasegrid.runs}, blueprint inside): the format is
 * {@link RunRecordCodec}'s. Registered by {@link io.phasegrid.coordinator.hazelcast.MemberConfigFactory}.
 */
public final class RunRecordSerializer implements StreamSerializer<RunRecord> {

    @Override
    public int getTypeId() {
        return SerializationIds.RUN_RECORD_TYPE;
    }

    @Override
    public void write(ObjectDataOutput out, RunRecord record) throws IOException {
        RunRecordCodec.write(record, HazelcastWire.of(out));
    }

    @Override
    public RunRecord read(ObjectDataInput in) throws IOException {
        return RunRecordCodec.read(HazelcastWire.of(in));
    }
}
