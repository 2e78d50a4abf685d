package io.phasegrid.coordinator.run.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.phasegrid.coordinator.hazelcast.MemberConfigFactory;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunSettings;
import org.junit.jupiter.api.Test;

/** The member's serialization config writes the run values of {@code run} with the stream serializers here. */
class RunValueSerializersTest {

    private final InternalSerializationService serialization = new DefaultSerializationServiceBuilder()
            .setConfig(MemberConfigFactory.configureSerialization(new SerializationConfig()))
            .build();

    private final RunBlueprint blueprint = RunBlueprint.builder().phase("01", 100).phase("02", 200, "01")
            .build(RunSettings.builder().maxParallel(2).budgetTokens(5_000).build());

    @Test
    void aRunIsWrittenByTheRunRecordSerializer() {
        RunRecord run = RunRecord.create("r-1", "demo", blueprint, 1_000);

        Data data = serialization.toData(run);
        RunRecord back = serialization.toObject(data);

        assertThat(data.getType()).isEqualTo(SerializationIds.RUN_RECORD_TYPE);
        assertThat(back.phases()).isEqualTo(run.phases());
        assertThat(back.version()).isEqualTo(run.version());
    }

    @Test
    void aBlueprintOnItsOwnIsWrittenByTheBlueprintSerializer() {
        Data data = serialization.toData(blueprint);
        RunBlueprint back = serialization.toObject(data);

        assertThat(data.getType()).isEqualTo(SerializationIds.RUN_BLUEPRINT_TYPE);
        assertThat(back.settings()).isEqualTo(blueprint.settings());
        assertThat(back.size()).isEqualTo(2);
        assertThat(back.indexOf("02")).isEqualTo(blueprint.indexOf("02"));
        assertThat(back.dependencyCount(back.indexOf("02"))).isEqualTo(1);
    }
}
