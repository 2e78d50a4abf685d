package io.phasegrid.coordinator.run.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.service.Submission;
import io.phasegrid.coordinator.testing.TestMembers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The best-effort sync of a run's ledger share: mirrors the stored run, and never throws. */
class ShareSyncTest {

    @Test
    void syncingTheStoredShareReleasesWhatACancelFreedAndAFailureIsOnlyLogged() throws Exception {
        HazelcastInstance member = TestMembers.start(TestMembers.privateCluster("share-sync"));
        HazelcastRunCoordinator runs = new HazelcastRunCoordinator(member);
        HazelcastWorkerGateway gateway = new HazelcastWorkerGateway(member);
        RunStore store = new RunStore(member);
        TokenLedger ledger = new TokenLedger(member);
        ShareSync sync = new ShareSync(store, ledger);
        try {
            ledger.setBudget(1_000_000);
            String runId = runs.submit(new Submission("", "t", null, List.of(
                    new RunBlueprint.PhaseDef("A", "Phase A", 1_000, List.of(), false, List.of())),
                    RunSettings.defaults(), List.of(), 0, true)).runId();
            String worker = gateway.register("w", 1, Map.of()).workerId();
            assertThat(gateway.poll(worker, 1, 1_000)).hasSize(1);
            assertThat(ledger.snapshot().reserved()).isEqualTo(1_000);

            store.cancel(runId, System.currentTimeMillis()); // the run releases the lease; the ledger is not told
            assertThat(ledger.snapshot().reserved()).isEqualTo(1_000);

            assertThat(sync.syncStored(runId, System.currentTimeMillis())).as("synced, limited budget").isTrue();
            assertThat(ledger.snapshot().reserved()).isZero();
            assertThat(sync.syncStored("r-unknown", System.currentTimeMillis())).as("no such run").isFalse();
        } finally {
            gateway.close();
            runs.close();
            member.shutdown();
        }
        assertThatCode(() -> assertThat(sync.syncStored("r-any", System.currentTimeMillis())).isFalse())
                .as("the member is gone: logged, not thrown").doesNotThrowAnyException();
    }
}
