package io.phasegrid.coordinator.run.store.codec;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.RunBlueprint;
import java.io.IOException;

/**
 * Hazelcast's serializer of a {@link RunBlueprint} on its own (inside a run it is written by the run's codec): the
 * format is {@link RunBlueprint#writeTo}'s.
 */
public final class RunBlueprintSerializer implements StreamSerializer<RunBlueprint> {

    @Override
    public int getTypeId() {
        return SerializationIds.RUN_BLUEPRINT_TYPE;
    }

    @Override
    public void write(ObjectDataOutput out, RunBlueprint blueprint) throws IOException {
        blueprint.writeTo(HazelcastWire.of(out));
    }

    @Override
    public RunBlueprint read(ObjectDataInput in) throws IOException {
        return RunBlueprint.readFrom(HazelcastWire.of(in));
    }
}
