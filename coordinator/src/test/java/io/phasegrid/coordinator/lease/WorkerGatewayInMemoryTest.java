package io.phasegrid.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.ledger.LedgerSnapshot;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.metrics.CoordinatorMetrics;
import io.phasegrid.coordinator.run.LeaseRef;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.store.ReportProcessors;
import io.phasegrid.coordinator.run.store.RunMeta;
import io.phasegrid.coordinator.run.store.RunSummary;
import io.phasegrid.coordinator.run.store.ShareSync;
import io.phasegrid.coordinator.testing.InMemoryCheckpoints;
import io.phasegrid.coordinator.testing.InMemoryEntries;
import io.phasegrid.coordinator.testing.InMemoryLedger;
import io.phasegrid.coordinator.testing.InMemoryRuns;
import io.phasegrid.coordinator.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker gateway over in-memory stores, no Hazelcast member: the runs ({@link InMemoryRuns}, the production
 * processors on plain entries, their listeners feeding the gateway's index), the checkpoints
 * ({@link InMemoryCheckpoints}), the ledger ({@link InMemoryLedger}) and the worker records (plain
 * {@link InMemoryEntries}; their time to live is ignored). There is no sweeper: a test expires leases itself with the
 * run's {@code Expire} processor at a later clock, then syncs the run's share, as the sweeper does.
 */
class WorkerGatewayInMemoryTest {

    private static final long TTL_MS = 5_000;

    private final InMemoryRuns runs = new InMemoryRuns();
    private final InMemoryCheckpoints checkpoints = new InMemoryCheckpoints();
    private final TokenLedger ledger = new TokenLedger(new InMemoryLedger());
    private final TestClock clock = TestClock.ticking();
    private final HazelcastWorkerGateway gateway = new HazelcastWorkerGateway(runs, checkpoints, ledger,
            new InMemoryEntries<>(), clock, LeaseTimings.DEFAULT, CoordinatorMetrics.disabled());

    @AfterEach
    void close() {
        gateway.close();
    }

    /** Stores a run of these phases as a submission would (plans of {@code plans} keep their paths as contents). */
    private String submit(RunBlueprint.PhaseDef... phases) {
        RunBlueprint.Builder blueprint = RunBlueprint.builder();
        Map<String, byte[]> contents = new java.util.HashMap<>();
        for (RunBlueprint.PhaseDef phase : phases) {
            blueprint.phase(phase);
            phase.plans().forEach(p -> contents.put(p.path(), p.path().getBytes(StandardCharsets.UTF_8)));
        }
        String runId = "run-" + System.nanoTime();
        RunRecord record = RunRecord.create(runId, "t",
                blueprint.build(RunSettings.builder().leaseTtlMs(TTL_MS).build()), clock.millis());
        assertThat(runs.create(record, new RunMeta(WorkerGateway.LOCAL_PRINCIPAL, "", 0, contents),
                Long.MAX_VALUE, clock.millis())).isTrue();
        return runId;
    }

    private static RunBlueprint.PhaseDef phase(String key, long estimate, String... deps) {
        return new RunBlueprint.PhaseDef(key, "Phase " + key, estimate, List.of(deps), false, List.of());
    }

    private LeaseOffer pollOne(String workerId) throws InterruptedException {
        List<LeaseOffer> offers = gateway.poll(workerId, 1, 1_000);
        assertThat(offers).hasSize(1);
        return offers.get(0);
    }

    /** What the sweeper does once the clock passed the leases' deadlines: expire them, then sync the run's share. */
    private List<LeaseRef> expire(String runId) {
        List<LeaseRef> expired = runs.execute(runId, new ReportProcessors.Expire(clock.millis()));
        new ShareSync(runs, ledger).syncStored(runId, clock.millis());
        return expired;
    }

    private PhaseView phaseOf(String runId, String key) {
        return runs.view(runId, true).phases().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void aRegisteredWorkerRunsARunToSucceededAndTheLedgerHoldsExactlyTheReportedTokens() throws Exception {
        ledger.setBudget(10_000);
        String runId = submit(phase("A", 1_000), phase("B", 500, "A"));
        String worker = gateway.register("w1", 1, Map.of()).workerId();

        LeaseOffer a = pollOne(worker);
        assertThat(a.key().phaseKey()).isEqualTo("A");
        assertThat(a.key().epoch()).isEqualTo(1);
        assertThat(ledger.snapshot().reserved()).isEqualTo(1_000);
        assertThat(gateway.poll(worker, 1, 0)).as("B waits for A").isEmpty();
        assertThat(gateway.complete(worker, a.key(), Outcome.SUCCEEDED, 700, "")).isEqualTo(PhaseState.SUCCEEDED);

        LeaseOffer b = pollOne(worker);
        assertThat(b.key().phaseKey()).isEqualTo("B");
        assertThat(gateway.complete(worker, b.key(), Outcome.SUCCEEDED, 300, "")).isEqualTo(PhaseState.SUCCEEDED);

        RunSummary run = runs.view(runId, true);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.phases()).extracting(PhaseView::tokens).containsExactly(700L, 300L);
        LedgerSnapshot after = ledger.snapshot();
        assertThat(after.used()).isEqualTo(1_000);
        assertThat(after.reserved()).isZero();
        assertThat(after.running()).isZero();
        assertThat(gateway.poll(worker, 1, 0)).isEmpty();
    }

    @Test
    void aReportOfAStaleEpochIsRefusedAndChangesNeitherTheRunNorTheLedger() throws Exception {
        ledger.setBudget(10_000);
        String runId = submit(phase("A", 1_000));
        String worker = gateway.register("w1", 1, Map.of()).workerId();
        LeaseOffer first = pollOne(worker);
        clock.advance(TTL_MS + 1);
        assertThat(expire(runId)).hasSize(1);
        LeaseOffer second = pollOne(worker);
        assertThat(second.key().epoch()).isGreaterThan(first.key().epoch());
        assertThat(ledger.snapshot().reserved()).as("only the new lease is funded").isEqualTo(1_000);
        RunSummary before = runs.view(runId, true);
        LedgerSnapshot ledgerBefore = ledger.snapshot();

        assertThatThrownBy(() -> gateway.complete(worker, first.key(), Outcome.SUCCEEDED, 500, ""))
                .isInstanceOf(StaleLeaseException.class);
        assertThatThrownBy(() -> gateway.checkpoint(worker, first.key(), List.of(), new byte[] {1}, 10))
                .isInstanceOf(StaleLeaseException.class);
        assertThat(gateway.heartbeat(worker, List.of(first.key()), 1, 1).get(0).held()).isFalse();

        assertThat(runs.view(runId, true).phases()).isEqualTo(before.phases());
        assertThat(ledger.snapshot()).isEqualTo(ledgerBefore);
        assertThat(checkpoints.get(runId, "A")).isNull();
        assertThat(gateway.complete(worker, second.key(), Outcome.SUCCEEDED, 400, "")).isEqualTo(PhaseState.SUCCEEDED);
        assertThat(ledger.snapshot().used()).isEqualTo(400);
    }

    @Test
    void aCheckpointIsSavedAndOfferedWithTheNextLeaseOfThePhase() throws Exception {
        RunBlueprint.PhaseDef twoPlans = new RunBlueprint.PhaseDef("A", "Phase A", 1_000, List.of(), false,
                List.of(new RunBlueprint.PlanRef("A-01", "a1.md"), new RunBlueprint.PlanRef("A-02", "a2.md")));
        String runId = submit(twoPlans);
        String worker = gateway.register("w1", 1, Map.of()).workerId();
        LeaseOffer first = pollOne(worker);
        assertThat(first.checkpoint()).isEmpty();
        assertThat(first.plans()).extracting(LeaseOffer.OfferedPlan::completed).containsExactly(false, false);

        long renewedUntil = gateway.checkpoint(worker, first.key(), List.of("A-01"), new byte[] {7, 8}, 120);
        assertThat(renewedUntil).isGreaterThan(clock.millis());
        Checkpoint saved = checkpoints.get(runId, "A");
        assertThat(saved.epoch()).isEqualTo(first.key().epoch());
        assertThat(saved.tokensSoFar()).isEqualTo(120);
        assertThat(phaseOf(runId, "A").state()).isEqualTo(PhaseState.RUNNING);

        clock.advance(TTL_MS + 1);
        assertThat(expire(runId)).hasSize(1);
        LeaseOffer next = pollOne(worker);
        assertThat(next.key().epoch()).isEqualTo(first.key().epoch() + 1);
        assertThat(next.checkpoint()).containsExactly(7, 8);
        assertThat(next.plans()).extracting(LeaseOffer.OfferedPlan::id).containsExactly("A-01", "A-02");
        assertThat(next.plans()).extracting(LeaseOffer.OfferedPlan::completed).containsExactly(true, false);
        assertThat(new String(next.plans().get(1).content(), StandardCharsets.UTF_8)).isEqualTo("a2.md");
    }

    @Test
    void anotherPrincipalCannotUseOrTakeAWorkersRegistration() throws Exception {
        String runId = submit(phase("A", 1_000));
        WorkerGateway alice = gateway.boundTo("alice");
        String worker = alice.register("w1", 1, Map.of()).workerId();
        LeaseOffer offer = alice.poll(worker, 1, 1_000).get(0);

        WorkerGateway other = gateway.boundTo("other");
        assertThatThrownBy(() -> other.complete(worker, offer.key(), Outcome.SUCCEEDED, 10, ""))
                .isInstanceOf(ForeignWorkerException.class);
        assertThatThrownBy(() -> other.heartbeat(worker, List.of(offer.key()), 1, 1))
                .isInstanceOf(ForeignWorkerException.class);
        assertThatThrownBy(() -> other.register("w1", 1, Map.of())).isInstanceOf(ForeignWorkerException.class);

        PhaseView a = phaseOf(runId, "A");
        assertThat(a.state()).isEqualTo(PhaseState.LEASED);
        assertThat(a.tokens()).isZero();
        assertThat(alice.complete(worker, offer.key(), Outcome.SUCCEEDED, 10, "")).isEqualTo(PhaseState.SUCCEEDED);
    }

    @Test
    void aHeartbeatRenewsTheLeaseSoItOutlivesItsFirstDeadline() throws Exception {
        String runId = submit(phase("A", 1_000));
        String worker = gateway.register("w1", 1, Map.of()).workerId();
        LeaseOffer offer = pollOne(worker);

        clock.advance(TTL_MS - 1_000);
        long renewedAt = clock.millis();
        LeaseStatus status = gateway.heartbeat(worker, List.of(offer.key()), 1, 1).get(0);
        assertThat(status.held()).isTrue();
        assertThat(status.cancelled()).isFalse();
        assertThat(status.expiresAtMs()).isBetween(renewedAt + TTL_MS, clock.millis() + TTL_MS)
                .isGreaterThan(offer.expiresAtMs());

        clock.advance(2_000); // past the first deadline, within the renewed one
        assertThat(expire(runId)).isEmpty();
        assertThat(gateway.complete(worker, offer.key(), Outcome.SUCCEEDED, 10, "")).isEqualTo(PhaseState.SUCCEEDED);

        String otherRun = submit(phase("B", 1_000));
        LeaseOffer unrenewed = pollOne(worker);
        clock.advance(TTL_MS + 1);
        assertThat(expire(otherRun)).extracting(LeaseRef::key).containsExactly(unrenewed.key().phaseKey());
    }
}
