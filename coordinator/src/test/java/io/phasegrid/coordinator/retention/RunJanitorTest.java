package io.phasegrid.coordinator.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.checkpoint.CheckpointStore;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.service.Submission;
import io.phasegrid.coordinator.testing.TestMembers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Finished runs are deleted with their checkpoints, metadata and idempotency key once past their retention. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunJanitorTest {

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;

    @BeforeAll
    void start() {
        member = TestMembers.start(TestMembers.privateCluster("janitor"));
        runs = new HazelcastRunCoordinator(member);
    }

    @AfterAll
    void stop() {
        runs.close();
        member.shutdown();
    }

    @BeforeEach
    void emptyMaps() {
        for (String map : List.of(MapNames.RUNS, MapNames.RUN_META, MapNames.SUBMISSIONS, MapNames.CHECKPOINTS)) {
            member.getMap(map).clear();
        }
    }

    private String submit(String key) {
        return runs.submit(new Submission(key, "t", null,
                List.of(new RunBlueprint.PhaseDef("A", "Phase A", 1_000, List.of(), false, List.of())),
                RunSettings.builder().build(), List.of(), 0, true)).runId();
    }

    /** A janitor that sees the world {@code later} from now and only runs when asked. */
    private RunJanitor janitor(Duration retention, Duration later) {
        return new RunJanitor(member, retention, Duration.ofDays(1), Clock.offset(Clock.systemUTC(), later));
    }

    @Test
    void aFinishedRunPastItsRetentionGoesWithEverythingKeptForItAndAnActiveRunStays() {
        String finished = submit("nightly-1");
        new CheckpointStore(member).save(finished, "A", new Checkpoint(1, List.of("A-01"), new byte[] {1}, 5, 0));
        runs.cancel(finished);
        String active = submit("nightly-2");

        RunJanitor young = janitor(Duration.ofHours(1), Duration.ofMinutes(30));
        assertThat(young.purge()).as("within its retention").isZero();
        young.close();

        RunJanitor janitor = janitor(Duration.ofHours(1), Duration.ofHours(2));
        assertThat(janitor.purge()).isEqualTo(1);
        janitor.close();

        assertThat(member.getMap(MapNames.RUNS).containsKey(finished)).isFalse();
        assertThat(member.getMap(MapNames.RUN_META).containsKey(finished)).isFalse();
        assertThat(new CheckpointStore(member).get(finished, "A")).isNull();
        assertThat(member.getMap(MapNames.SUBMISSIONS).containsKey("local\nnightly-1"))
                .as("the idempotency key may be used again").isFalse();
        assertThat(member.getMap(MapNames.RUNS).containsKey(active)).isTrue();
        assertThat(member.getMap(MapNames.SUBMISSIONS).get("local\nnightly-2")).isEqualTo(active);
        assertThat(submit("nightly-1")).as("a new run under the freed key").isNotEqualTo(finished);
    }

    @Test
    void aZeroRetentionKeepsRunsForever() {
        String finished = submit("");
        runs.cancel(finished);

        RunJanitor forever = janitor(Duration.ZERO, Duration.ofDays(3650));
        assertThat(forever.purge()).isZero();
        forever.close();
        assertThat(member.getMap(MapNames.RUNS).containsKey(finished)).isTrue();
    }

    @Test
    void theDeleteChecksAgainSoARunRetriedAfterItWasSelectedIsKept() {
        String retried = submit("retried");
        runs.cancel(retried);
        runs.retry(retried); // between the janitor's selection and its delete

        Boolean deleted = member.<String, io.phasegrid.coordinator.run.RunRecord>getMap(MapNames.RUNS)
                .executeOnKey(retried,
                new io.phasegrid.coordinator.run.store.ControlProcessors.Purge(Long.MAX_VALUE));

        assertThat(deleted).isEqualTo(Boolean.FALSE);
        assertThat(member.getMap(MapNames.RUNS).containsKey(retried)).isTrue();
    }
}
