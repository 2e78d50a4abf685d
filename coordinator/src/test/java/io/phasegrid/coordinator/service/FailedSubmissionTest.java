package io.phasegrid.coordinator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapInterceptor;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.run.store.RetainedSubmissions;
import io.phasegrid.coordinator.testing.TestMembers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A submission whose run cannot be stored leaves nothing behind: no key, no metadata, no retained bytes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailedSubmissionTest {

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;

    @BeforeAll
    void start() {
        member = TestMembers.start(TestMembers.privateCluster("failed-submission"));
        runs = new HazelcastRunCoordinator(member);
    }

    @AfterAll
    void stop() {
        runs.close();
        member.shutdown();
    }

    /** Refuses every write to the map it is added to, the way a member that is going away would. */
    static final class RefuseWrites implements MapInterceptor {
        @Override
        public Object interceptGet(Object value) {
            return null;
        }

        @Override
        public void afterGet(Object value) {
        }

        @Override
        public Object interceptPut(Object oldValue, Object newValue) {
            throw new IllegalStateException("the store is unavailable");
        }

        @Override
        public void afterPut(Object value) {
        }

        @Override
        public Object interceptRemove(Object removedValue) {
            return null;
        }

        @Override
        public void afterRemove(Object value) {
        }
    }

    @Test
    void aSubmissionThatFailsToStoreGivesItsKeyAndBytesBackSoTheClientsRetryCreatesTheRun() throws Exception {
        IMap<String, Object> records = member.getMap(MapNames.RUNS);
        String interceptor = records.addInterceptor(new RefuseWrites());
        try {
            assertThatThrownBy(() -> runs.submit(HazelcastRunCoordinatorTest.bundle("retry-me")))
                    .hasMessageContaining("the store is unavailable");
        } finally {
            records.removeInterceptor(interceptor);
        }
        assertThat(member.getMap(MapNames.SUBMISSIONS).containsKey("retry-me")).as("the key is free again").isFalse();
        assertThat(member.getMap(MapNames.RUN_META).isEmpty()).as("no metadata without a run").isTrue();
        assertThat(new RetainedSubmissions(member).snapshot().total()).as("no bytes held for it").isZero();

        SubmitResult retried = runs.submit(HazelcastRunCoordinatorTest.bundle("retry-me"));

        assertThat(retried.created()).isTrue();
        assertThat(runs.get(retried.runId()).idempotencyKey()).isEqualTo("retry-me");
        assertThat(member.getMap(MapNames.RUN_META).size()).isEqualTo(1);
    }
}
