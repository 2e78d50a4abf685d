package io.phasegrid.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.phasegrid.coordinator.hazelcast.PhaseGridSerializableFactory;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ledger's rules, without Hazelcast. */
class LedgerRecordTest {

    private static final long FOLD = LedgerRecord.FOLD_AFTER_MS;
    private static final long NOW = 1_000_000;

    private static long lastCall;

    /** One funding under a new Lease call of one run's share: what reserving was before shares. */
    private static int reserve(LedgerRecord ledger, long[] estimates, long minTokensPerPhase) {
        return ledger.fund("reserving#0", ++lastCall, estimates, minTokensPerPhase);
    }

    private static LedgerShare share(String key, long version, long reserved, long used, int leases,
            long finishedAtMs, long... unconfirmedCalls) {
        return new LedgerShare(key, version, reserved, used, leases, unconfirmedCalls, finishedAtMs);
    }

    private static LedgerShare active(String key, long version, long reserved, long used, int leases,
            long... unconfirmedCalls) {
        return share(key, version, reserved, used, leases, 0, unconfirmedCalls);
    }

    @Test
    void anUnlimitedBudgetGrantsEverythingAndStillCounts() {
        LedgerRecord ledger = new LedgerRecord(0);

        assertThat(reserve(ledger, new long[] {50_000, 70_000}, 10_000)).isEqualTo(2);
        assertThat(ledger.snapshot().reserved()).isEqualTo(120_000);
        assertThat(ledger.snapshot().running()).isEqualTo(2);
        assertThat(ledger.snapshot().remaining()).isEqualTo(Long.MAX_VALUE);
        assertThat(ledger.snapshot().level()).isEqualTo(BudgetLevel.OK);
    }

    @Test
    void grantsAPrefixWhileEachPhaseAndTheMinimumPerRunningPhaseFit() {
        LedgerRecord ledger = new LedgerRecord(100_000);

        // 30k fits (remaining 100k >= 10k x 1); 30k fits (70k >= 10k x 2); 30k fits (40k >= 10k x 3);
        // the fourth: remaining 10k < 30k
        assertThat(reserve(ledger, new long[] {30_000, 30_000, 30_000, 30_000}, 10_000)).isEqualTo(3);
        assertThat(ledger.snapshot().remaining()).isEqualTo(10_000);
    }

    @Test
    void theMinimumPerRunningPhaseCanRefuseACheapPhase() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        assertThat(reserve(ledger, new long[] {40_000, 40_000}, 10_000)).isEqualTo(2);

        // remaining 20k covers the 5k estimate but not 10k x 3 running phases
        assertThat(reserve(ledger, new long[] {5_000}, 10_000)).isZero();
    }

    @Test
    void stopsAtTheFirstRefusalToKeepPriorities() {
        LedgerRecord ledger = new LedgerRecord(50_000);

        assertThat(reserve(ledger, new long[] {60_000, 1_000}, 0)).isZero();
        assertThat(ledger.snapshot().reserved()).isZero();
    }

    @Test
    void levelsFollowTheSeedsThresholdsAndStopRefusesNewReservations() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        reserve(ledger, new long[] {80_000}, 0);
        assertThat(ledger.snapshot().level()).isEqualTo(BudgetLevel.WARN);
        ledger.sync(active("other#0", 1, 0, 10_000, 0), NOW); // 90k of 100k
        assertThat(ledger.snapshot().level()).isEqualTo(BudgetLevel.CRITICAL);
        reserve(ledger, new long[] {5_000}, 0);
        assertThat(ledger.snapshot().level()).isEqualTo(BudgetLevel.STOP);

        assertThat(reserve(ledger, new long[] {1}, 0)).isZero();
    }

    @Test
    void topUpRaisesALimitedBudgetAndIsRefusedForAnUnlimitedOne() {
        LedgerRecord limited = new LedgerRecord(10_000);
        limited.topUp(5_000);
        assertThat(limited.snapshot().budget()).isEqualTo(15_000);

        assertThatThrownBy(() -> new LedgerRecord(0).topUp(5_000)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unlimited");
        assertThatThrownBy(() -> limited.topUp(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limited.setBudget(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    // fund

    @Test
    void fundingTheSameLeaseCallTwiceGrantsOnceAndAnswersTheSameCount() {
        LedgerRecord ledger = new LedgerRecord(100_000);

        assertThat(ledger.fund("r#1", 5, new long[] {30_000, 30_000}, 0)).isEqualTo(2);
        assertThat(ledger.fund("r#1", 5, new long[] {30_000, 30_000}, 0)).isEqualTo(2);

        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 60_000, 0, 2));
    }

    @Test
    void anotherLeaseCallOfTheSameShareIsANewFunding() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.fund("r#1", 5, new long[] {30_000, 30_000}, 0);

        assertThat(ledger.fund("r#1", 6, new long[] {30_000}, 0)).isEqualTo(1);

        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 90_000, 0, 3));
        assertThat(ledger.fundedCalls("r#1")).containsExactlyInAnyOrder(5L, 6L);
    }

    @Test
    void aRefusedFundingIsRecordedSoItsRetryIsRefusedAgainAfterATopUp() {
        LedgerRecord ledger = new LedgerRecord(10_000);
        assertThat(ledger.fund("r#1", 5, new long[] {20_000}, 0)).isZero();

        ledger.topUp(90_000);

        assertThat(ledger.fund("r#1", 5, new long[] {20_000}, 0)).isZero();
        assertThat(ledger.fund("r#1", 6, new long[] {20_000}, 0)).isEqualTo(1);
    }

    @Test
    void oneRunsReservationsAndFundingsRefuseAnotherRunsPhase() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.sync(active("a#1", 3, 50_000, 0, 1), NOW);

        // remaining 50k: 40k fits, then 10k < 20k
        assertThat(ledger.fund("b#1", 1, new long[] {40_000, 20_000}, 0)).isEqualTo(1);
        assertThat(ledger.fund("c#1", 1, new long[] {10_001}, 0)).isZero();
        assertThat(ledger.fund("c#1", 2, new long[] {10_000}, 0)).isEqualTo(1);
    }

    @Test
    void theMinimumPerPhaseCountsTheLeasesOfSharesFundingsAndOldReservations() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        reserve(ledger, new long[] {10_000}, 0);
        ledger.sync(active("a#1", 3, 10_000, 0, 1), NOW);
        ledger.fund("b#1", 1, new long[] {10_000}, 0);

        // remaining 70k with 3 leases: a fourth needs 4 x min
        assertThat(ledger.fund("c#1", 1, new long[] {1_000}, 17_501)).isZero();
        assertThat(ledger.fund("c#1", 2, new long[] {1_000}, 17_500)).isEqualTo(1);
    }

    @Test
    void theStopLevelReachedByASharesUsedTokensRefusesEveryFunding() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.sync(active("a#1", 3, 0, 95_000, 0), NOW);

        assertThat(ledger.snapshot().level()).isEqualTo(BudgetLevel.STOP);
        assertThat(ledger.fund("b#1", 1, new long[] {1}, 0)).isZero();
    }

    @Test
    void anUnlimitedBudgetFundsEverythingAndSyncAnswersUnlimited() {
        LedgerRecord ledger = new LedgerRecord(0);

        assertThat(ledger.fund("a#1", 1, new long[] {1_000_000, 2_000_000}, 1_000_000)).isEqualTo(2);
        assertThat(ledger.sync(active("a#1", 2, 3_000_000, 0, 2), NOW)).isFalse();
        assertThat(new LedgerRecord(5).sync(active("a#1", 2, 0, 0, 0), NOW)).isTrue();
    }

    // sync

    @Test
    void aFundingForACallThatASyncAlreadySettledIsStaleAndGrantsNothing() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        // the run's version 5 covers its lease call 4 and no longer lists it: those leases expired or were cancelled
        ledger.sync(active("a#1", 5, 0, 0, 0), NOW);

        assertThat(ledger.fund("a#1", 4, new long[] {7_000}, 0)).isEqualTo(LedgerRecord.STALE_CALL);
        assertThat(ledger.snapshot().reserved()).isZero();
        // a call the synced version still lists, or one after it, is funded
        ledger.sync(active("a#1", 7, 0, 0, 0, 6), NOW);
        assertThat(ledger.fund("a#1", 6, new long[] {1_000}, 0)).isEqualTo(1);
        assertThat(ledger.fund("a#1", 8, new long[] {2_000}, 0)).isEqualTo(1);
        assertThat(ledger.snapshot().reserved()).isEqualTo(3_000);
    }

    @Test
    void aSyncReplacesAShareOnlyWithANewerVersion() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.sync(active("a#1", 5, 10_000, 1_000, 1), NOW);

        ledger.sync(active("a#1", 4, 99_000, 0, 9), NOW);
        ledger.sync(active("a#1", 5, 10_000, 1_000, 1), NOW); // the same version is the same state
        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 10_000, 1_000, 1));

        ledger.sync(active("a#1", 6, 0, 7_000, 0), NOW);
        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 0, 7_000, 0));
    }

    @Test
    void syncsOfOneShareAppliedInAnyOrderEndAtTheNewest() {
        List<LedgerShare> inOrder = List.of(active("a#1", 1, 10_000, 0, 1), active("a#1", 2, 20_000, 0, 2),
                active("a#1", 3, 0, 25_000, 0));
        LedgerRecord ordered = new LedgerRecord(100_000);
        LedgerRecord reversed = new LedgerRecord(100_000);

        ordered.syncAll(inOrder, NOW);
        reversed.syncAll(List.of(inOrder.get(2), inOrder.get(0), inOrder.get(1)), NOW);

        assertThat(reversed).isEqualTo(ordered);
        assertThat(reversed.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 0, 25_000, 0));
    }

    @Test
    void aFundingNewerThanTheSyncedVersionStays() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.fund("a#1", 10, new long[] {20_000}, 0);

        ledger.sync(active("a#1", 9, 0, 0, 0), NOW);

        assertThat(ledger.fundedCalls("a#1")).containsExactly(10L);
        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 20_000, 0, 1));
    }

    @Test
    void aFundingListedAsUnconfirmedStays() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.fund("a#1", 10, new long[] {20_000}, 0);

        ledger.sync(active("a#1", 12, 0, 0, 0, 10), NOW);

        assertThat(ledger.fundedCalls("a#1")).containsExactly(10L);
    }

    @Test
    void aFundingIsDroppedByTheFirstSyncAtOrAfterItsCallThatNoLongerListsIt() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.fund("a#1", 10, new long[] {20_000}, 0);
        ledger.fund("a#1", 11, new long[] {5_000}, 0);

        // the run confirmed call 10 in its version 10 (call 11 is newer and stays)
        ledger.sync(active("a#1", 10, 20_000, 0, 1), NOW);

        assertThat(ledger.fundedCalls("a#1")).containsExactly(11L);
        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 25_000, 0, 2));
    }

    // crash cases

    @Test
    void aLostConfirmationHoldsTheFundingsTokensUntilASyncNoLongerListsTheCall() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.fund("a#1", 3, new long[] {20_000}, 0);
        // the member died before the run confirmed call 3: the run still lists it
        ledger.sync(active("a#1", 4, 0, 0, 0, 3), NOW);
        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 20_000, 0, 1));

        // the run gives the call up as dead
        ledger.sync(active("a#1", 5, 0, 0, 0), NOW);

        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 0, 0, 0));
    }

    @Test
    void aConfirmedFundingIsCountedOnceInsideTheShare() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.fund("a#1", 3, new long[] {20_000}, 0);

        ledger.sync(active("a#1", 4, 20_000, 0, 1), NOW);

        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 20_000, 0, 1));
        assertThat(ledger.fundedCalls("a#1")).isEmpty();
    }

    @Test
    void aLostSyncIsRepairedByTheNextPush() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.fund("a#1", 1, new long[] {20_000, 10_000}, 0);
        // lost: the sync of version 2 (both leases confirmed)

        ledger.sync(active("a#1", 3, 10_000, 15_000, 1), NOW);

        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 10_000, 15_000, 1));
    }

    @Test
    void theSameSyncAppliedTwiceIsCountedOnce() {
        LedgerRecord once = new LedgerRecord(100_000);
        LedgerRecord twice = new LedgerRecord(100_000);
        LedgerShare completed = active("a#1", 7, 0, 15_000, 0);

        once.sync(completed, NOW);
        twice.sync(completed, NOW);
        twice.sync(completed, NOW);

        assertThat(twice.snapshot()).isEqualTo(once.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 0, 15_000, 0));
    }

    // folding

    @Test
    void aFinishedShareFoldsIntoUsedAfterItsGracePeriodWithoutChangingTheTotals() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.sync(share("a#1", 9, 0, 15_000, 0, NOW), NOW);
        ledger.sync(active("b#1", 2, 5_000, 1_000, 1), NOW);
        LedgerSnapshot before = ledger.snapshot();

        ledger.sync(active("b#1", 2, 5_000, 1_000, 1), NOW + FOLD - 1);
        assertThat(ledger.holdsShare("a#1")).isTrue();

        ledger.sync(active("b#1", 2, 5_000, 1_000, 1), NOW + FOLD);
        assertThat(ledger.holdsShare("a#1")).isFalse();
        assertThat(ledger.holdsShare("b#1")).isTrue();
        assertThat(ledger.snapshot()).isEqualTo(before).isEqualTo(new LedgerSnapshot(100_000, 5_000, 16_000, 1));
    }

    @Test
    void aFinishedShareWithAFundingLeftIsNotFolded() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.fund("a#1", 10, new long[] {20_000}, 0);
        ledger.sync(share("a#1", 11, 0, 15_000, 0, NOW, 10), NOW);

        ledger.syncAll(List.of(), NOW + 2 * FOLD);
        assertThat(ledger.holdsShare("a#1")).isTrue();

        ledger.sync(share("a#1", 12, 0, 15_000, 0, NOW), NOW + 2 * FOLD);
        assertThat(ledger.holdsShare("a#1")).isFalse();
        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 0, 15_000, 0));
    }

    @Test
    void aRePushOfAShareAlreadyFoldedIsNotCountedAgain() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        LedgerShare finished = share("a#1", 9, 0, 15_000, 0, NOW);
        ledger.sync(finished, NOW);
        ledger.syncAll(List.of(), NOW + FOLD);

        ledger.sync(finished, NOW + FOLD + 5_000);

        assertThat(ledger.holdsShare("a#1")).isFalse();
        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 0, 15_000, 0));
    }

    // copies and serialization

    private static LedgerRecord ledgerWithSharesAndFundings() {
        LedgerRecord ledger = new LedgerRecord(1_000_000);
        ledger.fund("early#1", 1, new long[] {1_000}, 0);
        ledger.sync(share("done#1", 4, 0, 7_000, 0, NOW), NOW);
        ledger.syncAll(List.of(), NOW + FOLD);
        ledger.fund("a#1", 3, new long[] {20_000, 10_000}, 0);
        ledger.sync(active("a#1", 4, 5_000, 2_000, 1, 3), NOW + FOLD);
        ledger.fund("a#1", 5, new long[] {4_000}, 0);
        ledger.fund("b#2", 1, new long[] {2_000_000}, 0);
        ledger.sync(share("c#1", 8, 0, 9_000, 0, NOW + FOLD), NOW + FOLD);
        return ledger;
    }

    @Test
    void aCopyIsDeepChangingItLeavesTheOriginalAsItWas() {
        LedgerRecord original = ledgerWithSharesAndFundings();

        LedgerRecord copy = original.copy();
        copy.fund("a#1", 6, new long[] {1_000}, 0);
        copy.fund("d#1", 1, new long[] {1_000}, 0);
        copy.sync(active("a#1", 9, 0, 40_000, 0), NOW + FOLD);
        copy.syncAll(List.of(), NOW + 3 * FOLD);
        reserve(copy, new long[] {3_000}, 0);
        copy.setBudget(5);

        assertThat(copy).isNotEqualTo(original);
        assertThat(original).isEqualTo(ledgerWithSharesAndFundings());
        assertThat(original.fundedCalls("a#1")).containsExactlyInAnyOrder(3L, 5L);
    }

    @Test
    void aLedgerWithSharesAndFundingsReadsBackEqual() {
        InternalSerializationService serialization = new DefaultSerializationServiceBuilder()
                .setConfig(new SerializationConfig().addDataSerializableFactory(SerializationIds.FACTORY_ID,
                        new PhaseGridSerializableFactory()))
                .build();
        LedgerRecord original = ledgerWithSharesAndFundings();
        LedgerShare share = share("a#1", 4, 5_000, 2_000, 1, 0, 3, 5);

        LedgerRecord read = serialization.toObject(serialization.toData(original));
        LedgerShare readShare = serialization.toObject(serialization.toData(share));

        assertThat(read).isEqualTo(original);
        assertThat(read.snapshot()).isEqualTo(original.snapshot());
        assertThat(read.fund("a#1", 3, new long[] {1}, 0)).isEqualTo(2);
        assertThat(readShare).isEqualTo(share).hasSameHashCodeAs(share);
        assertThat(readShare.unconfirmedCalls()).containsExactly(3, 5);
    }
}
