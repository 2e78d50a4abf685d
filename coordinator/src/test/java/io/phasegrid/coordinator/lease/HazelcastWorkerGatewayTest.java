package io.phasegrid.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.ledger.LedgerSnapshot;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.service.RunView;
import io.phasegrid.coordinator.service.Submission;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.coordinator.testing.TestWorker;
import io.phasegrid.coordinator.run.store.ActiveRuns;
import io.phasegrid.coordinator.run.store.LeaseBatch;
import io.phasegrid.coordinator.run.store.RunStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Leases, fencing, expiry, checkpoints and budgets, through the gateway on one real member with a fast sweeper. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastWorkerGatewayTest {

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;
    private HazelcastWorkerGateway gateway;
    private LeaseSweeper sweeper;
    private TokenLedger ledger;

    @BeforeAll
    void start() {
        member = TestMembers.start(TestMembers.privateCluster("gateway"));
        runs = new HazelcastRunCoordinator(member);
        gateway = new HazelcastWorkerGateway(member);
        sweeper = new LeaseSweeper(member, Duration.ofMillis(50), Clock.systemUTC());
        ledger = new TokenLedger(member);
    }

    @AfterAll
    void stop() {
        sweeper.close();
        gateway.close();
        runs.close();
        member.shutdown();
    }

    /** A fresh sweeper over empty maps: the last test's sweeper cannot sync a share of its runs after the clear. */
    @BeforeEach
    void emptyMaps() {
        sweeper.close();
        for (String map : List.of(MapNames.RUNS, MapNames.LEDGER, MapNames.SUBMISSIONS, MapNames.CHECKPOINTS)) {
            member.getMap(map).clear();
        }
        sweeper = new LeaseSweeper(member, Duration.ofMillis(50), Clock.systemUTC());
    }

    /** Submits through a coordinator whose lease TTL is the one {@code settings} asks for (an operator setting). */
    private String submit(RunSettings settings, long minTokensPerPhase, RunBlueprint.PhaseDef... phases) {
        HazelcastRunCoordinator coordinator = new HazelcastRunCoordinator(member, SubmissionLimits.defaults(),
                Clock.systemUTC(), settings.leaseTtlMs());
        try {
            return coordinator.submit(new Submission("", "t", null, List.of(phases), settings, List.of(),
                    minTokensPerPhase, true)).runId();
        } finally {
            coordinator.close();
        }
    }

    private static RunBlueprint.PhaseDef phase(String key, long estimate, String... deps) {
        return new RunBlueprint.PhaseDef(key, "Phase " + key, estimate, List.of(deps), false, List.of());
    }

    private static void assertLedgerMatches(RunView run, LedgerSnapshot ledger) {
        assertThat(ledger.used()).isEqualTo(run.phases().stream().mapToLong(PhaseView::tokens).sum());
        assertThat(ledger.reserved()).isZero();
        assertThat(ledger.running()).isZero();
    }

    @Test
    void registeringTheSameNameAgainGivesTheSameId() {
        WorkerRegistration a = gateway.register("same", 2, Map.of("zone", "a"));
        WorkerRegistration b = gateway.register("same", 4, Map.of());
        assertThat(b.workerId()).isEqualTo(a.workerId());
        assertThat(gateway.register("other", 1, Map.of()).workerId()).isNotEqualTo(a.workerId());
        assertThatThrownBy(() -> gateway.poll("w-unknown", 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStaleEpochReportIsRefusedAndChangesNothingNotEvenTheLedger() throws Exception {
        ledger.setBudget(1_000_000);
        String runId = submit(RunSettings.builder().leaseTtlMs(1_500).build(), 0, phase("A", 1_000));
        String worker = gateway.register("slow", 1, Map.of()).workerId();
        LeaseOffer first = gateway.poll(worker, 1, 1_000).get(0);
        // the worker goes silent; the sweeper takes the lease back and the phase is leased again
        LeaseOffer second = gateway.poll(worker, 1, 5_000).get(0);
        assertThat(second.key().epoch()).isGreaterThan(first.key().epoch());
        // the new holder keeps its lease alive, so only the stale calls below can change anything
        assertThat(gateway.heartbeat(worker, List.of(second.key()), 1, 1).get(0).held()).isTrue();
        ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();
        keepAlive.scheduleWithFixedDelay(() -> gateway.heartbeat(worker, List.of(second.key()), 1, 1),
                50, 50, TimeUnit.MILLISECONDS);
        try {
            assertStaleCallsChangeNothing(runId, worker, first, second);
        } finally {
            keepAlive.shutdownNow();
        }
    }

    private void assertStaleCallsChangeNothing(String runId, String worker, LeaseOffer first, LeaseOffer second)
            throws Exception {
        // the sweeper syncs the run's share after the expiry, which drops the funding of the expired lease
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ledger.snapshot().running() == 1);
        RunView before = runs.get(runId);
        LedgerSnapshot ledgerBefore = ledger.snapshot();
        assertThat(ledgerBefore.reserved()).isEqualTo(1_000);

        assertThatThrownBy(() -> gateway.complete(first.key(), Outcome.SUCCEEDED, 500, ""))
                .isInstanceOf(StaleLeaseException.class);
        assertThatThrownBy(() -> gateway.checkpoint(first.key(), List.of(), new byte[0], 1))
                .isInstanceOf(StaleLeaseException.class);
        assertThat(gateway.heartbeat(worker, List.of(first.key()), 1, 1).get(0).held()).isFalse();

        assertThat(runs.get(runId)).isEqualTo(before);
        assertThat(ledger.snapshot()).isEqualTo(ledgerBefore);
        assertThat(gateway.complete(second.key(), Outcome.SUCCEEDED, 500, "")).isEqualTo(PhaseState.SUCCEEDED);
        assertThatThrownBy(() -> gateway.complete(second.key(), Outcome.SUCCEEDED, 500, ""))
                .as("a second report of the same lease").isInstanceOf(StaleLeaseException.class);
        assertLedgerMatches(runs.get(runId), ledger.snapshot());
    }

    @Test
    void reportsArrivingTogetherAreAppliedTogetherAndEachGetsItsOwnAnswer() throws Exception {
        ledger.setBudget(10_000_000);
        RunBlueprint.PhaseDef[] phases = new RunBlueprint.PhaseDef[64];
        for (int i = 0; i < phases.length; i++) {
            phases[i] = phase("P" + i, 1_000);
        }
        String runId = submit(RunSettings.builder().maxParallel(64).build(), 0, phases);
        String worker = gateway.register("batch", 64, Map.of()).workerId();
        List<LeaseOffer> offers = gateway.poll(worker, 64, 1_000);
        assertThat(offers).hasSize(64);
        LeaseKey stale = new LeaseKey(runId, offers.get(0).key().phaseKey(), 99);

        List<java.util.concurrent.CompletableFuture<PhaseState>> answers = new java.util.ArrayList<>();
        for (int k = 0; k < offers.size(); k++) {
            Outcome outcome = k % 8 == 7 ? Outcome.ABANDONED : Outcome.SUCCEEDED;
            answers.add(gateway.completeAsync(worker, offers.get(k).key(), outcome, 100 + k, ""));
        }
        java.util.concurrent.CompletableFuture<PhaseState> refused =
                gateway.completeAsync(worker, stale, Outcome.SUCCEEDED, 5, "");

        for (int k = 0; k < answers.size(); k++) {
            assertThat(answers.get(k).get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(k % 8 == 7 ? PhaseState.READY : PhaseState.SUCCEEDED);
        }
        assertThatThrownBy(() -> refused.get(5, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(StaleLeaseException.class);
        RunView run = runs.get(runId);
        assertThat(run.phases().stream().filter(p -> p.state() == PhaseState.SUCCEEDED)).hasSize(56);
        assertThat(run.phases().stream().filter(p -> p.state() == PhaseState.READY)).hasSize(8);
        assertThat(ledger.snapshot().used()).as("each accepted report charged once")
                .isEqualTo(run.phases().stream().mapToLong(PhaseView::tokens).sum())
                .isEqualTo(java.util.stream.IntStream.range(0, 64).mapToLong(k -> 100 + k).sum());
        assertThat(ledger.snapshot().reserved()).isZero();
        assertThat(ledger.snapshot().running()).as("every settled reservation ends one running phase").isZero();
    }

    @Test
    void aRunSeenFinishedStaysIndexedWhenItChangedMeanwhile() {
        ActiveRuns index = new ActiveRuns(new RunStore(member));
        try {
            index.changed("r-raced");
            long seenAt = index.stamp("r-raced");
            index.changed("r-raced"); // e.g. a retry made it active while a poll found it finished

            index.finished("r-raced", seenAt);
            assertThat(index.all()).contains("r-raced");

            index.finished("r-raced", index.stamp("r-raced"));
            assertThat(index.all()).doesNotContain("r-raced");
        } finally {
            index.close();
        }
    }

    @Test
    void theLateReportOfALeaseCancelledWithItsRunIsChargedToTheLedgerOnce() throws Exception {
        ledger.setBudget(1_000_000);
        String runId = submit(RunSettings.builder().build(), 0, phase("A", 1_000), phase("B", 1_000, "A"));
        String worker = gateway.register("late", 1, Map.of()).workerId();
        LeaseOffer offer = gateway.poll(worker, 1, 1_000).get(0);

        runs.cancel(runId);
        assertThat(ledger.snapshot().reserved()).isZero();
        assertThat(gateway.complete(worker, offer.key(), Outcome.SUCCEEDED, 700, "")).isEqualTo(PhaseState.CANCELLED);

        RunView run = runs.get(runId);
        assertThat(run.phases().get(0).tokens()).isEqualTo(700);
        assertLedgerMatches(run, ledger.snapshot());
        assertThatThrownBy(() -> gateway.complete(worker, offer.key(), Outcome.SUCCEEDED, 700, ""))
                .isInstanceOf(StaleLeaseException.class);
        assertThat(ledger.snapshot().used()).isEqualTo(700);
    }

    @Test
    void aPollFundedInFullTellsTheRunWithTheNextReportsAndTheLedgerIsExactThroughout() throws Exception {
        ledger.setBudget(1_000_000);
        String runId = submit(RunSettings.builder().build(), 0, phase("A", 1_000), phase("B", 3_000));
        String worker = gateway.register("told-later", 2, Map.of()).workerId();
        RunStore store = new RunStore(member);
        List<LeaseOffer> offers = gateway.poll(worker, 2, 1_000);
        assertThat(offers).hasSize(2);

        // no call told the run: its share leaves the leases out, the ledger counts them through the funding
        assertThat(store.ledgerShare(runId).unconfirmedCalls()).hasSize(1);
        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(1_000_000, 4_000, 0, 2));

        LeaseOffer first = offers.get(0);
        LeaseOffer second = offers.get(1);
        gateway.complete(worker, first.key(), Outcome.SUCCEEDED, 500, "");
        assertThat(store.ledgerShare(runId).unconfirmedCalls()).isEmpty(); // told with that report
        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(1_000_000, second.estimatedTokens(), 500, 1));

        gateway.complete(worker, second.key(), Outcome.SUCCEEDED, 700, "");
        assertLedgerMatches(runs.get(runId), ledger.snapshot());
    }

    // a member dying between a run's processor call and the ledger call, played by making the run call alone

    @Test
    void aCompletionWhoseLedgerSyncWasLostIsChargedByTheSweepersPeriodicSync() throws Exception {
        ledger.setBudget(1_000_000);
        String runId = submit(RunSettings.builder().build(), 0, phase("A", 1_000));
        String worker = gateway.register("crash-after-complete", 1, Map.of()).workerId();
        LeaseOffer offer = gateway.poll(worker, 1, 1_000).get(0);
        RunStore store = new RunStore(member);

        store.complete(runId, "A", offer.key().epoch(), Outcome.SUCCEEDED, 800, "", System.currentTimeMillis(), null);
        assertThat(ledger.snapshot().used()).isZero(); // the coordinator died before its sync

        sweeper.syncLedger(System.currentTimeMillis());
        sweeper.syncLedger(System.currentTimeMillis()); // and again: nothing is counted twice

        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(1_000_000, 0, 800, 0));
    }

    @Test
    void aFundingWhoseLeaseWasNeverConfirmedIsDroppedOnceTheLeaseExpires() {
        ledger.setBudget(1_000_000);
        String runId = submit(RunSettings.builder().leaseTtlMs(200).build(), 0, phase("A", 1_000));
        RunStore store = new RunStore(member);
        // the poll leased and funded, then its coordinator died before confirming and answering the worker
        LeaseBatch batch = store.lease(runId, "lost-worker", 1, System.currentTimeMillis(), true);
        assertThat(ledger.fund(batch.shareKey(), batch.leaseCall(), new long[] {1_000}, 0)).isEqualTo(1);
        assertThat(ledger.snapshot().reserved()).isEqualTo(1_000);

        // the sweeper expires the unoffered lease and syncs the run's share, which no longer lists the call
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.snapshot().reserved() == 0);

        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(1_000_000, 0, 0, 0));
        assertThat(runs.get(runId).phases().get(0).state()).isEqualTo(PhaseState.READY);
    }

    @Test
    void onlyTheWorkerHoldingALeaseCanReportOnIt() throws Exception {
        String runId = submit(RunSettings.builder().build(), 0, phase("A", 1_000));
        String holder = gateway.register("holder", 1, Map.of()).workerId();
        String other = gateway.register("other", 1, Map.of()).workerId();
        LeaseOffer offer = gateway.poll(holder, 1, 1_000).get(0);
        RunView before = runs.get(runId);

        assertThatThrownBy(() -> gateway.complete(other, offer.key(), Outcome.SUCCEEDED, 10, ""))
                .isInstanceOf(StaleLeaseException.class).hasMessageContaining("another worker");
        assertThatThrownBy(() -> gateway.checkpoint(other, offer.key(), List.of(), new byte[0], 1))
                .isInstanceOf(StaleLeaseException.class);
        assertThatThrownBy(() -> gateway.complete("w-unknown", offer.key(), Outcome.SUCCEEDED, 10, ""))
                .isInstanceOf(StaleLeaseException.class);
        assertThat(gateway.heartbeat(other, List.of(offer.key()), 1, 1).get(0).held()).isFalse();
        assertThat(runs.get(runId)).isEqualTo(before);

        assertThat(gateway.heartbeat(holder, List.of(offer.key()), 1, 1).get(0).held()).isTrue();
        assertThat(gateway.complete(holder, offer.key(), Outcome.SUCCEEDED, 10, "")).isEqualTo(PhaseState.SUCCEEDED);
    }

    @Test
    void anExpiredLeaseIsRequeuedAndTheCheckpointSurvivesIntoTheNextOffer() throws Exception {
        RunBlueprint.PhaseDef twoPlans = new RunBlueprint.PhaseDef("A", "Phase A", 1_000, List.of(), false,
                List.of(new RunBlueprint.PlanRef("A-01", "a1.md"), new RunBlueprint.PlanRef("A-02", "a2.md")));
        String runId = submit(RunSettings.builder().leaseTtlMs(300).build(), 0, twoPlans);
        String worker = gateway.register("dies", 1, Map.of()).workerId();
        LeaseOffer first = gateway.poll(worker, 1, 1_000).get(0);
        assertThat(first.checkpoint()).isEmpty();
        byte[] blob = "after A-01".getBytes(StandardCharsets.UTF_8);
        long expires = gateway.checkpoint(first.key(), List.of("A-01"), blob, 42);
        assertThat(expires).isGreaterThan(0);
        assertThat(runs.get(runId).phases().get(0).state()).isEqualTo(PhaseState.RUNNING);

        // no more heartbeats: the sweeper expires the lease, the phase is READY again with its checkpoint
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> runs.get(runId).phases().get(0).requeues() == 1);
        // the sweeper releases the reservation right after the run processor that expired the lease
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(ledger.snapshot().reserved()).as("the expired lease's reservation is released").isZero());
        LeaseOffer again = gateway.poll(worker, 1, 1_000).get(0);

        assertThat(again.key().epoch()).isGreaterThan(first.key().epoch());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.checkpoint()).isEqualTo(blob);
        assertThat(again.plans()).extracting(LeaseOffer.OfferedPlan::id, LeaseOffer.OfferedPlan::completed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("A-01", true),
                        org.assertj.core.groups.Tuple.tuple("A-02", false));
        gateway.complete(again.key(), Outcome.SUCCEEDED, 700, "");
        assertLedgerMatches(runs.get(runId), ledger.snapshot());
    }

    @Test
    void aBudgetThatCarriesOnePhaseAtATimeFallsBackOnceAndTheRunStillFinishes() throws Exception {
        ledger.setBudget(1_900); // each estimate 1,000; the worker charges 100
        String runId = submit(RunSettings.defaults(), 0, phase("A", 1_000), phase("B", 1_000), phase("C", 1_000));
        TestWorker worker = new TestWorker(gateway, runs, "frugal");

        RunView done = worker.drive(runId, Duration.ofSeconds(20));

        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.fallbacks()).isEqualTo(1);
        // (maxParallelism counts the leases the ledger then refused: lease first, reserve second)
        assertThat(worker.succeeded.values()).containsOnly(1).hasSize(3);
        assertLedgerMatches(done, ledger.snapshot());
    }

    @Test
    void aRunBudgetIsEnforcedTooByFallingBackToOnePhaseAtATime() throws Exception {
        String runId = submit(RunSettings.builder().budgetTokens(1_500).build(), 0,
                phase("A", 1_000), phase("B", 1_000), phase("C", 1_000));
        TestWorker worker = new TestWorker(gateway, runs, "run-budget");

        RunView done = worker.drive(runId, Duration.ofSeconds(20));

        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.fallbacks()).isEqualTo(1);
        assertThat(done.maxParallelism()).isEqualTo(1);
        assertThat(done.tokensBudget()).isEqualTo(1_500);
        assertLedgerMatches(done, ledger.snapshot());
    }

    @Test
    void aBudgetThatCarriesNothingPausesTheRunUntilATopUp() throws Exception {
        ledger.setBudget(500);
        String runId = submit(RunSettings.defaults(), 0, phase("A", 1_000), phase("B", 1_000, "A"));
        String worker = gateway.register("waiting", 2, Map.of()).workerId();

        assertThat(gateway.poll(worker, 2, 200)).isEmpty();
        RunView paused = runs.get(runId);
        assertThat(paused.state()).isEqualTo(RunState.PAUSED);
        assertThat(paused.pauseReason()).isEqualTo(RunRecord.REASON_TOKEN_BUDGET);
        assertThat(ledger.snapshot().reserved()).isZero();
        assertThat(gateway.poll(worker, 2, 100)).as("still paused").isEmpty();

        ledger.topUp(5_000);
        gateway.resumePaused();
        RunView done = new TestWorker(gateway, runs, "waiting").drive(runId, Duration.ofSeconds(20));

        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertLedgerMatches(done, ledger.snapshot());
    }

    @Test
    void minTokensPerPhaseIsTheLedgerRuleOfTheRun() throws Exception {
        ledger.setBudget(100_000);
        // 3 x 1,000 fit, but 40,000 must remain per running phase: only two can run at once
        String runId = submit(RunSettings.defaults(), 40_000, phase("A", 1_000), phase("B", 1_000),
                phase("C", 1_000));
        String worker = gateway.register("min", 3, Map.of()).workerId();

        List<LeaseOffer> offers = gateway.poll(worker, 3, 1_000);

        assertThat(offers).hasSize(2);
        assertThat(runs.get(runId).fallbacks()).isEqualTo(1);
        assertThat(runs.get(runId).minTokensPerPhase()).isEqualTo(40_000);
    }

    @Test
    void aLongPollWakesWhenAPhaseBecomesReady() throws Exception {
        String runId = submit(RunSettings.defaults(), 0, phase("A", 100), phase("B", 100, "A"));
        String a = gateway.register("long-a", 1, Map.of()).workerId();
        String b = gateway.register("long-b", 1, Map.of()).workerId();
        LeaseOffer first = gateway.poll(a, 1, 1_000).get(0);
        Thread completer = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            gateway.complete(first.key(), Outcome.SUCCEEDED, 10, "");
        });
        completer.start();
        long started = System.nanoTime();

        List<LeaseOffer> next = gateway.poll(b, 1, 10_000);

        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(next).extracting(o -> o.key().phaseKey()).containsExactly("B");
        assertThat(tookMs).isBetween(250L, 5_000L);
        completer.join();
        assertThat(runs.get(runId).phases().get(1).state()).isEqualTo(PhaseState.LEASED);
    }

    @Test
    void aPollWhoseCallerWentAwayWhileWaitingLeasesNothing() throws Exception {
        String worker = gateway.register("gone", 1, Map.of()).workerId();
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<List<LeaseOffer>> poll = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return gateway.poll(worker, 1, 10_000, cancelled::get);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        Thread.sleep(200);
        cancelled.set(true);
        String runId = submit(RunSettings.defaults(), 0, phase("A", 100));

        assertThat(poll.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
        assertThat(runs.get(runId).phases().get(0).state()).isEqualTo(PhaseState.READY);
        assertThat(runs.get(runId).phases().get(0).attempts()).isZero();
    }
}
