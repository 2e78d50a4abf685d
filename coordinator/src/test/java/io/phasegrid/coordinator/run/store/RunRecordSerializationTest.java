package io.phasegrid.coordinator.run.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.phasegrid.common.settings.Schedule;
import io.phasegrid.coordinator.hazelcast.MemberConfigFactory;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.RetryPolicy;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.LeaseGrant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run survives Hazelcast serialization (migration, backups, reads) with every field and its dispatch state. */
class RunRecordSerializationTest {

    private final InternalSerializationService serialization = new DefaultSerializationServiceBuilder()
            .setConfig(MemberConfigFactory.configureSerialization(new SerializationConfig()))
            .build();

    private RunRecord roundTrip(RunRecord record) {
        return serialization.toObject(serialization.toData(record));
    }

    @Test
    void aRunMidWayReadsBackEqualAndGoesOnTheSameWay() {
        RunSettings settings = RunSettings.builder().maxParallel(2).schedule(Schedule.EAGER)
                .retry(new RetryPolicy(2, 100, 2.0, 1_000)).leaseTtlMs(5_000).budgetTokens(99_000).build();
        RunBlueprint blueprint = RunBlueprint.builder()
                .phase(new RunBlueprint.PhaseDef("01", "One", 1_000, List.of(), false,
                        List.of(new RunBlueprint.PlanRef("01-01", ".planning/phases/01/01-01-PLAN.md"))))
                .phase("02", 2_000, "01").phase("03", 3_000, "01").completePhase("00", 10).phase("04", 500, "02", "03")
                .build(settings);
        RunRecord original = RunRecord.create("r-1", "demo", blueprint, 1_000);
        List<LeaseGrant> first = original.lease("w", 2, 1_010, 5_000);
        original.complete(first.get(0).phase(), first.get(0).epoch(), Outcome.SUCCEEDED, 900, "", 1_100);
        List<LeaseGrant> next = original.lease("w", 2, 1_200, 5_000);
        original.complete(next.get(0).phase(), next.get(0).epoch(), Outcome.FAILED, 10, "boom", 1_300);

        RunRecord copy = roundTrip(original);

        assertThat(copy.phases()).isEqualTo(original.phases());
        assertThat(copy.eventsSince(0)).isEqualTo(original.eventsSince(0));
        assertThat(copy.state()).isEqualTo(original.state());
        assertThat(copy.tokensUsed()).isEqualTo(original.tokensUsed());
        assertThat(copy.tokensReserved()).isEqualTo(original.tokensReserved());
        assertThat(copy.nextDeadline()).isEqualTo(original.nextDeadline());
        assertThat(copy.nextNotBefore()).isEqualTo(original.nextNotBefore());
        assertThat(copy.blueprint().settings()).isEqualTo(settings);
        assertThat(copy.blueprint().plans(0)).isEqualTo(blueprint.plans(0));
        assertThat(copy.blueprint().indexOf("04")).isEqualTo(blueprint.indexOf("04"));
        // the same transitions give the same answers on both
        assertThat(copy.lease("w", 3, 10_000, 5_000)).isEqualTo(original.lease("w", 3, 10_000, 5_000));
        assertThat(copy.expireLeases(20_000)).isEqualTo(original.expireLeases(20_000));
        assertThat(copy.phases()).isEqualTo(original.phases());
    }
}
