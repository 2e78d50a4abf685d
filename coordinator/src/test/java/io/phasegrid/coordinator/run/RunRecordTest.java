package io.phasegrid.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.settings.Schedule;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RunRecordTest {

    private static final long TTL = 30_000;
    private static final String W = "w1";

    private static RunRecord run(RunBlueprint bp) {
        return RunRecord.create("r1", "test", bp, 0);
    }

    private static List<String> keys(List<LeaseGrant> grants) {
        return grants.stream().map(LeaseGrant::key).toList();
    }

    private static LeaseGrant leaseOne(RunRecord run, long now) {
        List<LeaseGrant> g = run.lease(W, 1, now, TTL);
        assertThat(g).hasSize(1);
        return g.get(0);
    }

    private static void succeed(RunRecord run, LeaseGrant g, long now) {
        assertThat(run.complete(g.phase(), g.epoch(), Outcome.SUCCEEDED, 100, "", now).accepted()).isTrue();
    }

    @Nested
    class Dispatch {

        @Test
        void aPhaseIsLeasedOnlyAfterAllItsDependenciesSucceeded() {
            // chain a -> b -> c, and an independent x
            RunRecord run = run(RunBlueprint.builder()
                    .phase("a", 10).phase("b", 10, "a").phase("c", 10, "b").phase("x", 10).build());

            List<LeaseGrant> first = run.lease(W, 10, 1, TTL);
            assertThat(keys(first)).containsExactly("a", "x");
            assertThat(run.lease(W, 10, 2, TTL)).isEmpty();
            assertThat(run.phase("b").state()).isEqualTo(PhaseState.PENDING);

            succeed(run, first.get(1), 3); // x done: b still waits for a
            assertThat(run.lease(W, 10, 4, TTL)).isEmpty();
            succeed(run, first.get(0), 5);
            LeaseGrant b = leaseOne(run, 6);
            assertThat(b.key()).isEqualTo("b");
            succeed(run, b, 7);
            succeed(run, leaseOne(run, 8), 9);

            assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.finishedAtMs()).isEqualTo(9);
        }

        @Test
        void aCallCarryingAnEarlierClockReadingStillLeasesNoEarlierThanTheSlotWasFreed() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 10).phase("b", 10)
                    .build(RunSettings.builder().maxParallel(1).build()));
            LeaseGrant a = leaseOne(run, 10);
            succeed(run, a, 20);

            LeaseGrant b = leaseOne(run, 15); // its poll read the clock before a's report was applied

            assertThat(run.phase("b").startedAtMs()).isEqualTo(20)
                    .isGreaterThanOrEqualTo(run.phase("a").finishedAtMs());
            assertThat(b.deadlineMs()).isEqualTo(20 + TTL);
        }

        @Test
        void mayLeaseIsFalseExactlyWhenNothingCouldBeLeasedWithoutLookingAtThePhases() {
            RunRecord run = run(RunBlueprint.builder()
                    .phase("a", 10).phase("b", 10).phase("c", 10, "a", "b")
                    .build(RunSettings.builder().maxParallel(1).build()));
            assertThat(run.mayLease(1)).isTrue();

            LeaseGrant a = leaseOne(run, 1);
            assertThat(run.mayLease(2)).as("at max parallel").isFalse();
            assertThat(run.lease(W, 10, 2, TTL)).isEmpty();

            succeed(run, a, 3);
            assertThat(run.mayLease(4)).as("b is ready").isTrue();
            succeed(run, leaseOne(run, 4), 5);
            succeed(run, leaseOne(run, 6), 7);
            assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.mayLease(8)).as("finished").isFalse();
        }

        @Test
        void theCriticalPathGoesFirstTiesInRoadmapOrder() {
            // short(5)  long1(5) -> long2(50)  tie1(7) tie2(7)
            RunRecord run = run(RunBlueprint.builder()
                    .phase("short", 5).phase("long1", 5).phase("long2", 50, "long1").phase("tie1", 7).phase("tie2", 7)
                    .build(RunSettings.builder().maxParallel(10).build()));

            assertThat(keys(run.lease(W, 1, 1, TTL))).containsExactly("long1");
            assertThat(keys(run.lease(W, 10, 1, TTL))).containsExactly("tie1", "tie2", "short");
        }

        @Test
        void maxParallelCountsLeasedAndRunningPhases() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).phase("b", 1).phase("c", 1).phase("d", 1)
                    .build(RunSettings.builder().maxParallel(2).build()));

            List<LeaseGrant> g = run.lease(W, 10, 1, TTL);
            assertThat(g).hasSize(2);
            run.heartbeat(g.get(0).phase(), g.get(0).epoch(), 2, TTL); // RUNNING still counts
            assertThat(run.lease(W, 10, 3, TTL)).isEmpty();
            assertThat(run.runningCount()).isEqualTo(2);

            succeed(run, g.get(0), 4);
            assertThat(run.lease(W, 10, 5, TTL)).hasSize(1);
            assertThat(run.maxParallelism()).isEqualTo(2);
        }

        @Test
        void aWorkerGetsNoMoreThanItAskedFor() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).phase("b", 1).phase("c", 1).build());

            assertThat(run.lease(W, 2, 1, TTL)).hasSize(2);
            assertThat(run.lease(W, 0, 1, TTL)).isEmpty();
        }

        @Test
        void underWavesAPhaseOfTheNextWaveWaitsForTheWholeWaveUnderEagerItDoesNot() {
            // wave 0: a, slow ; wave 1: b (needs a only)
            RunBlueprint.Builder shape = RunBlueprint.builder().phase("a", 1).phase("slow", 1).phase("b", 1, "a");
            RunRecord waves = run(shape.build(RunSettings.builder().schedule(Schedule.WAVES).build()));
            RunRecord eager = run(shape.build(RunSettings.builder().schedule(Schedule.EAGER).build()));

            for (RunRecord run : List.of(waves, eager)) {
                List<LeaseGrant> g = run.lease(W, 10, 1, TTL);
                assertThat(keys(g)).containsExactlyInAnyOrder("a", "slow");
                succeed(run, g.stream().filter(x -> x.key().equals("a")).findFirst().orElseThrow(), 2);
            }

            assertThat(eager.phase("b").state()).isEqualTo(PhaseState.READY);
            assertThat(keys(eager.lease(W, 10, 3, TTL))).containsExactly("b");

            assertThat(waves.phase("b").state()).isEqualTo(PhaseState.READY);
            assertThat(waves.lease(W, 10, 3, TTL)).isEmpty();
            LeaseGrant slow = new LeaseGrant(waves.blueprint().indexOf("slow"), "slow",
                    waves.epoch(waves.blueprint().indexOf("slow")), 1, 0, 1, 0);
            succeed(waves, slow, 4);
            assertThat(keys(waves.lease(W, 10, 5, TTL))).containsExactly("b");
        }

        @Test
        void theFirstLeaseStartsTheRunAndNothingIsLeasedFromAFinishedRun() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).build());
            assertThat(run.state()).isEqualTo(RunState.QUEUED);

            LeaseGrant a = leaseOne(run, 7);
            assertThat(run.state()).isEqualTo(RunState.RUNNING);
            assertThat(run.startedAtMs()).isEqualTo(7);
            assertThat(a.attempt()).isEqualTo(1);
            assertThat(a.epoch()).isEqualTo(1);
            assertThat(a.deadlineMs()).isEqualTo(7 + TTL);

            succeed(run, a, 8);
            assertThat(run.lease(W, 1, 9, TTL)).isEmpty();
        }
    }

    @Nested
    class Fencing {

        @Test
        void aReportWithAStaleEpochIsRefusedAndChangesNothing() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).phase("b", 1, "a").build());
            LeaseGrant first = leaseOne(run, 1);
            run.expireLeases(1 + TTL);
            LeaseGrant second = leaseOne(run, 2 + TTL);
            assertThat(second.epoch()).isGreaterThan(first.epoch());
            RunRecord before = run.copy();

            CompleteResult late = run.complete(first.phase(), first.epoch(), Outcome.SUCCEEDED, 500, "", 3 + TTL);

            assertThat(late.accepted()).isFalse();
            assertThat(late.refusal()).isEqualTo(CompleteResult.Refusal.STALE_EPOCH);
            assertThat(run.phases()).isEqualTo(before.phases());
            assertThat(run.tokensUsed()).isEqualTo(before.tokensUsed());
            assertThat(run.lastSequence()).isEqualTo(before.lastSequence());
            assertThat(run.heartbeat(first.phase(), first.epoch(), 3 + TTL, TTL).held()).isFalse();
        }

        @Test
        void aPhaseThatLosesEveryLeaseFailsAfterTheRequeueLimitAndBlocksItsDependents() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).phase("b", 1, "a").phase("c", 1).build());
            long now = 0;
            for (int lost = 1; lost < RunRecord.MAX_REQUEUES; lost++) {
                LeaseGrant g = run.lease(W, 3, now, TTL).stream().filter(x -> x.key().equals("a")).findFirst()
                        .orElseThrow();
                now += TTL + 1;
                run.expireLeases(now);
                assertThat(run.phase("a").state()).as("after %d lost leases", lost).isEqualTo(PhaseState.READY);
                assertThat(g.epoch()).isEqualTo(lost);
            }
            run.lease(W, 3, now, TTL);
            now += TTL + 1;

            List<LeaseRef> last = run.expireLeases(now);

            assertThat(last).filteredOn(r -> r.key().equals("a")).singleElement()
                    .satisfies(r -> assertThat(r.failedForGood()).isTrue())
                    .satisfies(r -> assertThat(r.blockedDependents()).as("b").isEqualTo(1));
            PhaseView a = run.phase("a");
            assertThat(a.state()).isEqualTo(PhaseState.FAILED);
            assertThat(a.requeues()).isEqualTo(RunRecord.MAX_REQUEUES);
            assertThat(a.reason()).isEqualTo("lease_expired: lost " + RunRecord.MAX_REQUEUES + " leases");
            assertThat(run.phase("b").state()).isEqualTo(PhaseState.BLOCKED);
        }

        @Test
        void anExpiredLeaseRequeuesThePhaseWithANewEpochAndTheOldHolderIsRefused() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).build());
            LeaseGrant first = leaseOne(run, 0);
            run.heartbeat(first.phase(), first.epoch(), 10_000, TTL); // renewed to 40 000

            assertThat(run.expireLeases(30_000)).isEmpty();
            List<LeaseRef> expired = run.expireLeases(40_000);

            assertThat(expired).extracting(LeaseRef::key).containsExactly("a");
            PhaseView a = run.phase("a");
            assertThat(a.state()).isEqualTo(PhaseState.READY);
            assertThat(a.requeues()).isEqualTo(1);
            assertThat(a.failures()).isZero();
            assertThat(a.reason()).isEqualTo("lease_expired");
            assertThat(run.complete(first.phase(), first.epoch(), Outcome.SUCCEEDED, 1, "", 40_001).refusal())
                    .isEqualTo(CompleteResult.Refusal.LEASE_NOT_HELD);

            LeaseGrant second = leaseOne(run, 40_002);
            assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
            assertThat(second.attempt()).isEqualTo(2);
            assertThat(run.complete(first.phase(), first.epoch(), Outcome.SUCCEEDED, 1, "", 40_003).refusal())
                    .isEqualTo(CompleteResult.Refusal.STALE_EPOCH);
            succeed(run, second, 40_004);
            assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        }

        @Test
        void nextDeadlineIsALowerBoundOfTheNextExpiry() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).phase("b", 1).build());
            assertThat(run.nextDeadline()).isEqualTo(Long.MAX_VALUE);
            List<LeaseGrant> g = run.lease(W, 2, 100, TTL);

            assertThat(run.nextDeadline()).isEqualTo(100 + TTL);
            run.heartbeat(g.get(0).phase(), g.get(0).epoch(), 200, TTL);
            run.heartbeat(g.get(1).phase(), g.get(1).epoch(), 300, TTL);
            assertThat(run.nextDeadline()).isLessThanOrEqualTo(200 + TTL);
            assertThat(run.expireLeases(run.nextDeadline())).isEmpty(); // re-armed
            assertThat(run.nextDeadline()).isEqualTo(200 + TTL);
        }

        @Test
        void theFirstHeartbeatMarksThePhaseRunning() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).build());
            LeaseGrant a = leaseOne(run, 0);
            assertThat(run.phase("a").state()).isEqualTo(PhaseState.LEASED);

            HeartbeatResult hb = run.markRunning(a.phase(), a.epoch(), 5, TTL);

            assertThat(hb.status()).isEqualTo(HeartbeatResult.Status.HELD);
            assertThat(hb.expiresAtMs()).isEqualTo(5 + TTL);
            assertThat(run.phase("a").state()).isEqualTo(PhaseState.RUNNING);
        }

        @Test
        void aReportAlreadyMadeCannotBeMadeAgain() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).build());
            LeaseGrant a = leaseOne(run, 0);
            succeed(run, a, 1);

            assertThat(run.complete(a.phase(), a.epoch(), Outcome.FAILED, 1, "x", 2).refusal())
                    .isEqualTo(CompleteResult.Refusal.LEASE_NOT_HELD);
            assertThat(run.complete("nope", 1, Outcome.FAILED, 1, "x", 2).refusal())
                    .isEqualTo(CompleteResult.Refusal.UNKNOWN_PHASE);
        }
    }

    @Nested
    class Failures {

        private final RunSettings settings = RunSettings.builder().maxParallel(10)
                .retry(new RetryPolicy(3, 1_000, 2.0, 60_000)).build();

        @Test
        void aFailureIsRetriedAfterAnExponentialBackoffUpToMaxAttempts() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).build(settings));

            LeaseGrant a1 = leaseOne(run, 0);
            CompleteResult r1 = run.complete(a1.phase(), a1.epoch(), Outcome.FAILED, 10, "exit 1", 100);
            assertThat(r1.phaseState()).isEqualTo(PhaseState.READY);
            assertThat(r1.retryAtMs()).isEqualTo(1_100);
            assertThat(run.lease(W, 1, 1_099, TTL)).isEmpty();
            assertThat(run.nextNotBefore()).isEqualTo(1_100);

            LeaseGrant a2 = leaseOne(run, 1_100);
            assertThat(a2.attempt()).isEqualTo(2);
            CompleteResult r2 = run.complete(a2.phase(), a2.epoch(), Outcome.FAILED, 10, "exit 1", 2_000);
            assertThat(r2.retryAtMs()).isEqualTo(4_000);
            assertThat(run.lease(W, 1, 3_999, TTL)).isEmpty();

            LeaseGrant a3 = leaseOne(run, 4_000);
            CompleteResult r3 = run.complete(a3.phase(), a3.epoch(), Outcome.FAILED, 10, "exit 2", 5_000);

            assertThat(r3.phaseState()).isEqualTo(PhaseState.FAILED);
            PhaseView a = run.phase("a");
            assertThat(a.failures()).isEqualTo(3);
            assertThat(a.reason()).isEqualTo("execution_error: exit 2");
            assertThat(a.tokens()).isEqualTo(30);
            assertThat(run.state()).isEqualTo(RunState.FAILED);
        }

        @Test
        void aFailedPhaseBlocksItsTransitiveDependentsWhileSiblingsFinish() {
            // f -> g -> h ; f -> i ; s (sibling) -> t
            RunRecord run = run(RunBlueprint.builder()
                    .phase("f", 10).phase("g", 1, "f").phase("h", 1, "g").phase("i", 1, "f")
                    .phase("s", 1).phase("t", 1, "s")
                    .build(settings.toBuilder().retry(new RetryPolicy(1, 0, 1.0, 0)).build()));
            List<LeaseGrant> g = run.lease(W, 10, 0, TTL);
            assertThat(keys(g)).containsExactly("f", "s");

            run.complete(g.get(0).phase(), g.get(0).epoch(), Outcome.FAILED, 0, "boom", 1);

            assertThat(run.phase("g").state()).isEqualTo(PhaseState.BLOCKED);
            assertThat(run.phase("h").state()).isEqualTo(PhaseState.BLOCKED);
            assertThat(run.phase("h").reason()).isEqualTo("blocked_by f");
            assertThat(run.phase("i").state()).isEqualTo(PhaseState.BLOCKED);
            assertThat(run.state()).isEqualTo(RunState.RUNNING);

            succeed(run, g.get(1), 2);
            succeed(run, leaseOne(run, 3), 4);
            assertThat(run.phase("t").state()).isEqualTo(PhaseState.SUCCEEDED);
            assertThat(run.state()).isEqualTo(RunState.FAILED);
        }

        @Test
        void anAbandonedAttemptReturnsToReadyWithoutCountingAFailure() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).build(settings));
            LeaseGrant a = leaseOne(run, 0);

            CompleteResult r = run.complete(a.phase(), a.epoch(), Outcome.ABANDONED, 3, "draining", 1);

            assertThat(r.phaseState()).isEqualTo(PhaseState.READY);
            assertThat(run.phase("a").failures()).isZero();
            assertThat(run.phase("a").tokens()).isEqualTo(3);
            assertThat(leaseOne(run, 2).attempt()).isEqualTo(2);
        }

        @Test
        void retryReRunsOnlyFailedBlockedAndCancelledPhasesAndKeepsSuccesses() {
            RunRecord run = run(RunBlueprint.builder().phase("ok", 1).phase("bad", 1).phase("after", 1, "bad", "ok")
                    .build(settings.toBuilder().retry(new RetryPolicy(1, 0, 1.0, 0)).build()));
            assertThat(run.retry(0).accepted()).isFalse(); // still active
            List<LeaseGrant> g = run.lease(W, 10, 0, TTL);
            succeed(run, g.get(0), 1);
            run.complete(g.get(1).phase(), g.get(1).epoch(), Outcome.FAILED, 0, "boom", 2);
            assertThat(run.state()).isEqualTo(RunState.FAILED);

            RetryResult retry = run.retry(3);

            assertThat(retry.accepted()).isTrue();
            assertThat(retry.phasesReset()).isEqualTo(2);
            assertThat(run.state()).isEqualTo(RunState.RUNNING);
            assertThat(run.finishedAtMs()).isZero();
            assertThat(run.phase("ok").state()).isEqualTo(PhaseState.SUCCEEDED);
            assertThat(run.phase("bad").state()).isEqualTo(PhaseState.READY);
            assertThat(run.phase("bad").failures()).isZero();
            assertThat(run.phase("after").state()).isEqualTo(PhaseState.PENDING);

            LeaseGrant bad = leaseOne(run, 4);
            assertThat(bad.key()).isEqualTo("bad");
            assertThat(bad.attempt()).isEqualTo(2); // attempts are history and go on counting
            succeed(run, bad, 5);
            succeed(run, leaseOne(run, 6), 7);
            assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.phase("ok").attempts()).isEqualTo(1);
        }
    }

    @Nested
    class CancelAndSkip {

        @Test
        void cancelCancelsEveryUnfinishedPhaseAndRefusesNewLeases() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 5).phase("b", 1).phase("c", 1, "a").build());
            List<LeaseGrant> g = run.lease(W, 1, 0, TTL);
            LeaseGrant a = g.get(0);
            succeed(run, leaseOne(run, 1), 2); // b done

            CancelResult result = run.cancel(3);

            assertThat(result.changed()).isTrue();
            assertThat(result.cancelledPhases()).isEqualTo(2);
            assertThat(result.revoked()).extracting(LeaseRef::key).containsExactly("a");
            assertThat(run.state()).isEqualTo(RunState.CANCELLED);
            assertThat(run.phase("a").state()).isEqualTo(PhaseState.CANCELLED);
            assertThat(run.phase("b").state()).isEqualTo(PhaseState.SUCCEEDED);
            assertThat(run.phase("c").state()).isEqualTo(PhaseState.CANCELLED);
            assertThat(run.runningCount()).isZero();
            assertThat(run.tokensReserved()).isZero();
            assertThat(run.lease(W, 5, 4, TTL)).isEmpty();
            assertThat(run.heartbeat(a.phase(), a.epoch(), 4, TTL).status())
                    .isEqualTo(HeartbeatResult.Status.CANCELLED);

            // the cancelled attempt reports once, for its tokens
            CompleteResult late = run.complete(a.phase(), a.epoch(), Outcome.ABANDONED, 42, "", 5);
            assertThat(late.accepted()).isTrue();
            assertThat(late.phaseState()).isEqualTo(PhaseState.CANCELLED);
            assertThat(run.phase("a").tokens()).isEqualTo(42);
            assertThat(run.complete(a.phase(), a.epoch(), Outcome.SUCCEEDED, 1, "", 6).accepted()).isFalse();
            assertThat(run.cancel(7).changed()).isFalse();

            assertThat(run.retry(8).phasesReset()).isEqualTo(2);
            assertThat(leaseOne(run, 9).epoch()).isEqualTo(a.epoch() + 1);
        }

        @Test
        void skippedCompletePhasesSatisfyTheirDependents() {
            RunRecord run = run(RunBlueprint.builder().completePhase("done", 1).phase("next", 1, "done").build());

            assertThat(run.phase("done").state()).isEqualTo(PhaseState.SKIPPED);
            assertThat(run.phase("next").state()).isEqualTo(PhaseState.READY);
            succeed(run, leaseOne(run, 1), 2);
            assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        }

        @Test
        void aRunWhosePhasesAreAllSkippedSucceedsAtOnce() {
            RunRecord run = run(RunBlueprint.builder().completePhase("a", 1).completePhase("b", 1, "a").build());

            assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        }
    }

    @Nested
    class Budget {

        @Test
        void aRefusalWhileOthersRunFallsBackToOnePhaseAtATimeCountedOnce() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).phase("b", 1).phase("c", 1).phase("d", 1)
                    .build(RunSettings.builder().maxParallel(4).build()));
            List<LeaseGrant> g = run.lease(W, 4, 0, TTL);
            // the ledger funded a and b, not c and d
            UnfundedResult r = run.returnUnfunded(new int[] {g.get(2).phase(), g.get(3).phase()}, false, 1);

            assertThat(r.returned()).isEqualTo(2);
            assertThat(r.fellBack()).isTrue();
            assertThat(run.sequentialFallback()).isTrue();
            assertThat(run.fallbacks()).isEqualTo(1);
            assertThat(run.phase("c").state()).isEqualTo(PhaseState.READY);
            assertThat(run.phase("c").attempts()).isZero();
            assertThat(run.runningCount()).isEqualTo(2);

            assertThat(run.lease(W, 4, 2, TTL)).isEmpty(); // two running, one at a time
            succeed(run, g.get(0), 3);
            assertThat(run.lease(W, 4, 4, TTL)).isEmpty();
            succeed(run, g.get(1), 5);
            List<LeaseGrant> next = run.lease(W, 4, 6, TTL);
            assertThat(keys(next)).containsExactly("c");
            assertThat(next.get(0).epoch()).isEqualTo(2); // epoch 1 was burnt by the unfunded lease
            assertThat(next.get(0).attempt()).isEqualTo(1);

            assertThat(run.lease(W, 4, 6, TTL)).isEmpty(); // c runs: d waits
            run.returnUnfunded(new int[0], false, 7); // already sequential: not counted again
            assertThat(run.fallbacks()).isEqualTo(1);

            assertThat(run.resume(8)).isTrue();
            assertThat(run.sequentialFallback()).isFalse();
            assertThat(run.lease(W, 4, 9, TTL)).hasSize(1);
        }

        @Test
        void aRefusalWithNothingRunningPausesTheRunUntilResumed() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).phase("b", 1).build());
            LeaseGrant a = leaseOne(run, 0);

            UnfundedResult r = run.returnUnfunded(new int[] {a.phase()}, true, 1);

            assertThat(r.paused()).isTrue();
            assertThat(run.state()).isEqualTo(RunState.PAUSED);
            assertThat(run.pauseReason()).isEqualTo("token_budget");
            assertThat(run.lease(W, 2, 2, TTL)).isEmpty();
            assertThat(run.complete(a.phase(), a.epoch(), Outcome.SUCCEEDED, 1, "", 2).accepted()).isFalse();

            assertThat(run.resume(3)).isTrue();
            assertThat(run.state()).isEqualTo(RunState.RUNNING);
            assertThat(run.pauseReason()).isEmpty();
            assertThat(run.lease(W, 2, 4, TTL)).hasSize(2);
            assertThat(run.tokensReserved()).isEqualTo(2);
        }
    }

    @Nested
    class LedgerBookkeeping {

        @Test
        void leasesAwaitingFundingStayOutOfTheShareUntilConfirmedAndTheirCallIsListed() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 10).phase("b", 20).phase("c", 40).build(
                    RunSettings.builder().maxParallel(3).build())).copy();
            long call = run.version();
            List<LeaseGrant> g = run.lease(W, 3, 0, TTL, true);

            assertThat(run.tokensReserved()).isEqualTo(70);
            assertThat(run.confirmedReserved()).isZero();
            assertThat(run.confirmedLeases()).isZero();
            assertThat(run.unconfirmedCalls()).containsExactly(call);

            // highest priority first: c (40), b (20), a (10); the ledger funded c and b, a was refused and goes back
            assertThat(keys(g)).containsExactly("c", "b", "a");
            run.confirmFunding(new int[] {g.get(0).phase(), g.get(1).phase()}, new long[] {1, 1});
            run.returnUnfunded(new int[] {g.get(2).phase()}, false, 1);

            assertThat(run.confirmedReserved()).isEqualTo(60);
            assertThat(run.confirmedLeases()).isEqualTo(2);
            assertThat(run.unconfirmedCalls()).isEmpty();
        }

        @Test
        void anUnconfirmedLeaseThatExpiresLeavesNoCallBehind() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 10).build()).copy();
            run.lease(W, 1, 0, TTL, true);

            assertThat(run.expireLeases(TTL)).hasSize(1);

            assertThat(run.unconfirmedCalls()).isEmpty();
            assertThat(run.confirmedReserved()).isZero();
            assertThat(run.tokensReserved()).isZero();
        }

        @Test
        void everyCopyIsANewVersionAndARetryStartsANewShareWithoutItsOldTokens() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 10).build(
                    RunSettings.builder().retry(new RetryPolicy(1, 1, 1, 1)).build()));
            assertThat(run.copy().version()).isEqualTo(run.version() + 1);
            LeaseGrant a = leaseOne(run, 0);
            run.complete(a.phase(), a.epoch(), Outcome.FAILED, 700, "boom", 1);
            assertThat(run.state()).isEqualTo(RunState.FAILED);
            assertThat(run.incarnationUsed()).isEqualTo(700);
            String firstShare = run.ledgerShareKey();

            run.retry(2);

            assertThat(run.ledgerShareKey()).isNotEqualTo(firstShare);
            assertThat(run.incarnationUsed()).isZero();
            assertThat(run.tokensUsed()).isEqualTo(700);
        }

        @Test
        void directLeasesAreConfirmedAtOnce() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 10).build());
            leaseOne(run, 0);
            assertThat(run.confirmedReserved()).isEqualTo(10);
            assertThat(run.confirmedLeases()).isEqualTo(1);
            assertThat(run.unconfirmedCalls()).isEmpty();
        }
    }

    @Nested
    class Events {

        @Test
        void everyTransitionIsLoggedWithAnIncreasingSequence() {
            RunRecord run = run(RunBlueprint.builder().phase("a", 1).build());
            LeaseGrant a = leaseOne(run, 1);
            run.heartbeat(a.phase(), a.epoch(), 2, TTL);
            succeed(run, a, 3);

            EventPage page = run.eventsSince(0);

            assertThat(page.truncated()).isFalse();
            assertThat(page.events()).extracting(RunEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(page.events().get(0)).isEqualTo(new RunEvent.RunChanged(1, 0, RunState.QUEUED, ""));
            assertThat(page.events().get(1)).isEqualTo(new RunEvent.RunChanged(2, 1, RunState.RUNNING, ""));
            assertThat(page.events().get(2)).isEqualTo(
                    new RunEvent.PhaseChanged(3, 1, "a", PhaseState.LEASED, 1, W, "", 0));
            assertThat(page.events().get(3)).isInstanceOfSatisfying(RunEvent.PhaseChanged.class,
                    e -> assertThat(e.state()).isEqualTo(PhaseState.RUNNING));
            assertThat(page.events().get(4)).isEqualTo(
                    new RunEvent.PhaseChanged(5, 3, "a", PhaseState.SUCCEEDED, 1, W, "", 100));
            assertThat(page.events().get(5)).isEqualTo(new RunEvent.RunChanged(6, 3, RunState.SUCCEEDED, ""));
            assertThat(run.eventsSince(4).events()).extracting(RunEvent::sequence).containsExactly(5L, 6L);
            assertThat(run.eventsSince(6).events()).isEmpty();
        }

        @Test
        void theLogKeepsTheLastEventsAndSaysWhenAWatcherFellBehind() {
            RunBlueprint.Builder b = RunBlueprint.builder();
            for (int i = 0; i < 20; i++) {
                b.phase("p" + i, 1);
            }
            RunRecord run = RunRecord.create("r", "n", b.build(RunSettings.builder().maxParallel(20).build()), 0, 8);
            run.lease(W, 20, 1, TTL); // 1 run event + 1 + 20 phase events = 22

            EventPage page = run.eventsSince(3);

            assertThat(page.truncated()).isTrue();
            assertThat(page.lastSequence()).isEqualTo(22);
            assertThat(page.events()).extracting(RunEvent::sequence).containsExactly(15L, 16L, 17L, 18L, 19L, 20L,
                    21L, 22L);
            assertThat(run.eventsSince(14).truncated()).isFalse();
        }
    }

    @Test
    void aCopyIsIndependentOfItsOriginal() {
        RunRecord run = run(RunBlueprint.builder().phase("a", 1).phase("b", 1).build());
        RunRecord copy = run.copy();

        leaseOne(run, 1);

        assertThat(copy.phase("a").state()).isEqualTo(PhaseState.READY);
        assertThat(copy.lastSequence()).isEqualTo(1);
        assertThat(keys(copy.lease(W, 2, 1, TTL))).containsExactly("a", "b");
    }
}
