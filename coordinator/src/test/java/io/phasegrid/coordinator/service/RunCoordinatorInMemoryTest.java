package io.phasegrid.coordinator.service;

import static io.phasegrid.coordinator.service.HazelcastRunCoordinatorTest.bundle;
import static io.phasegrid.coordinator.service.HazelcastRunCoordinatorTest.phase;
import static io.phasegrid.coordinator.service.HazelcastRunCoordinatorTest.structured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.metrics.CoordinatorMetrics;
import io.phasegrid.coordinator.quota.RunQuotas;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RetryPolicy;
import io.phasegrid.coordinator.run.RunEvent;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.store.LeaseBatch;
import io.phasegrid.coordinator.run.store.LeaseProcessors;
import io.phasegrid.coordinator.run.store.PhaseReport;
import io.phasegrid.coordinator.run.store.ReportProcessors;
import io.phasegrid.coordinator.run.store.RunMeta;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.coordinator.submit.SubmissionRejected;
import io.phasegrid.coordinator.testing.InMemoryEntries;
import io.phasegrid.coordinator.testing.InMemoryLedger;
import io.phasegrid.coordinator.testing.InMemoryRuns;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The run domain service over in-memory stores, no Hazelcast member: the runs ({@link InMemoryRuns}, the production
 * processors on plain entries), the idempotency keys (a concurrent map), the principals' quotas
 * (plain {@link InMemoryEntries}) and the ledger ({@link InMemoryLedger}).
 * The test drives leases and reports with the run processors, the way the worker gateway would.
 */
class RunCoordinatorInMemoryTest {

    private final InMemoryRuns store = new InMemoryRuns();
    private final ConcurrentHashMap<String, String> keys = new ConcurrentHashMap<>();
    private final TokenLedger ledger = new TokenLedger(new InMemoryLedger());
    private final List<HazelcastRunCoordinator> opened = new ArrayList<>();
    private final HazelcastRunCoordinator runs = coordinator(SubmissionLimits.defaults());

    private HazelcastRunCoordinator coordinator(SubmissionLimits limits) {
        RunQuotas quotas = new RunQuotas(new InMemoryEntries<>(), limits.quotas(), store::finishedOf);
        HazelcastRunCoordinator c = new HazelcastRunCoordinator(store, new IdempotencyKeys(keys), quotas, ledger,
                limits, Clock.systemUTC(), RunSettings.DEFAULT_LEASE_TTL_MS, CoordinatorMetrics.disabled());
        opened.add(c);
        return c;
    }

    @AfterEach
    void close() {
        opened.forEach(HazelcastRunCoordinator::close);
    }

    private List<LeaseGrant> lease(String runId, int phases) {
        LeaseBatch batch = store.execute(runId, new LeaseProcessors.Lease("w", phases, now(), false));
        return batch.grants();
    }

    private void report(String runId, LeaseGrant grant, Outcome outcome, long tokens) {
        store.execute(runId, new ReportProcessors.Complete(
                List.of(new PhaseReport(grant.key(), grant.epoch(), outcome, tokens, "", "w")), now()));
    }

    /** The key as stored: idempotency keys are their principal's own. */
    private String storedKey(SubmitResult run, String key) {
        return RunMeta.storedKey(store.header(run.runId()).owner(), key);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @Test
    void aSubmissionIsStoredWithItsKeyAndTheSameKeyAnswersTheSameRunAlsoUnderConcurrentSubmission()
            throws Exception {
        SubmitResult first = runs.submit(structured("key-1", RunSettings.defaults(), phase("A", 10)));
        SubmitResult again = runs.submit(structured("key-1", RunSettings.defaults(), phase("A", 10)));

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.runId()).isEqualTo(first.runId());
        assertThat(runs.get(first.runId()).idempotencyKey()).isEqualTo("key-1");
        assertThat(runs.get(first.runId()).state()).isEqualTo(RunState.QUEUED);
        assertThat(keys).containsEntry(storedKey(first, "key-1"), first.runId());

        List<SubmitResult> concurrent = HazelcastRunCoordinatorTest.submitAtOnce(runs, 8, "key-2");
        assertThat(concurrent).extracting(SubmitResult::runId).containsOnly(concurrent.get(0).runId());
        assertThat(concurrent).filteredOn(SubmitResult::created).hasSize(1);
        assertThat(store.summaries()).hasSize(2);
    }

    @Test
    void anUnknownRunIsNotFound() {
        assertThatThrownBy(() -> runs.get("r-nope")).isInstanceOf(RunNotFoundException.class);
        assertThatThrownBy(() -> runs.cancel("r-nope")).isInstanceOf(RunNotFoundException.class);
        assertThatThrownBy(() -> runs.retry("r-nope")).isInstanceOf(RunNotFoundException.class);
        assertThatThrownBy(() -> runs.setBudget("r-nope", 10)).isInstanceOf(RunNotFoundException.class);
        assertThatThrownBy(() -> runs.watch("r-nope", new HazelcastRunCoordinatorTest.Collector()))
                .isInstanceOf(RunNotFoundException.class);
    }

    @Test
    void aSubmissionOverTheRetainedBytesCapIsRefusedAndGivesItsKeyBack() throws Exception {
        HazelcastRunCoordinator small = coordinator(SubmissionLimits.defaults().withMaxRetainedBytes(10));
        Submission tooBig = bundle("too-big");

        assertThatThrownBy(() -> small.submit(tooBig))
                .isInstanceOfSatisfying(SubmissionRejected.class,
                        e -> assertThat(e.reason()).isEqualTo(SubmissionRejected.Reason.TOO_LARGE));

        assertThat(keys).as("the key is free again").isEmpty();
        assertThat(store.summaries()).isEmpty();
        assertThat(store.retainedBytes()).isZero();
    }

    @Test
    void aCancelReleasesTheRunsReservationsOnTheLedger() {
        String runId = runs.submit(structured("", RunSettings.defaults(), phase("A", 100), phase("B", 100)))
                .runId();
        assertThat(lease(runId, 2)).hasSize(2);
        ledger.sync(store.ledgerShare(runId), now());
        assertThat(ledger.snapshot().reserved()).isEqualTo(200);

        RunView cancelled = runs.cancel(runId);

        assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
        assertThat(cancelled.tokensReserved()).isZero();
        assertThat(ledger.snapshot().reserved()).as("synced by the cancel").isZero();
    }

    @Test
    void aRunPausedByItsOwnBudgetResumesWhenTheNewBudgetCarriesItsNextPhase() {
        String runId = runs.submit(structured("", RunSettings.builder().budgetTokens(50).build(), phase("A", 100)))
                .runId();
        assertThat(lease(runId, 1)).isEmpty();
        assertThat(runs.get(runId).state()).isEqualTo(RunState.PAUSED);

        assertThat(runs.setBudget(runId, 99).state()).as("99 does not carry 100").isEqualTo(RunState.PAUSED);
        RunView resumed = runs.setBudget(runId, 100);

        assertThat(resumed.state()).isEqualTo(RunState.QUEUED);
        assertThat(resumed.tokensBudget()).isEqualTo(100);
        assertThat(lease(runId, 1)).hasSize(1);
    }

    @Test
    void aRetrySyncsTheFinishedShareFirstSoItsTokensStayOnTheLedger() {
        RunSettings once = RunSettings.builder().retry(new RetryPolicy(1, 0, 1.0, 0)).build();
        String runId = runs.submit(structured("", once, phase("A", 100), phase("B", 100, "A"))).runId();
        report(runId, lease(runId, 1).get(0), Outcome.FAILED, 30);
        assertThat(runs.get(runId).state()).isEqualTo(RunState.FAILED);
        assertThat(ledger.snapshot().used()).as("nothing synced the failure yet").isZero();

        RunView retried = runs.retry(runId);

        assertThat(retried.state()).isNotEqualTo(RunState.FAILED);
        assertThat(retried.phases()).extracting(p -> p.state()).containsExactly(PhaseState.READY, PhaseState.PENDING);
        assertThat(ledger.snapshot().used()).isEqualTo(30);
        assertThatThrownBy(() -> runs.retry(runId)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWatchDeliversEveryEventInOrderExactlyOnceThenEnds() {
        String runId = runs.submit(structured("", RunSettings.defaults(), phase("A", 100), phase("B", 100, "A")))
                .runId();
        HazelcastRunCoordinatorTest.Collector collector = new HazelcastRunCoordinatorTest.Collector();
        RunCoordinator.WatchHandle handle = runs.watch(runId, collector);
        assertThat(handle.snapshot().state()).isEqualTo(RunState.QUEUED);

        report(runId, lease(runId, 1).get(0), Outcome.SUCCEEDED, 10);
        report(runId, lease(runId, 1).get(0), Outcome.SUCCEEDED, 10);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> collector.ended);
        List<RunEvent> all = store.eventsSince(runId, 0).events();
        assertThat(collector.events).isEqualTo(all.subList((int) handle.snapshotSequence(), all.size()));
        assertThat(collector.events.get(collector.events.size() - 1))
                .isInstanceOfSatisfying(RunEvent.RunChanged.class,
                        e -> assertThat(e.state()).isEqualTo(RunState.SUCCEEDED));
        assertThat(collector.endCalls).isEqualTo(1);
    }
}
