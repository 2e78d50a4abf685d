package io.phasegrid.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The ledger's rules, without Hazelcast. */
class LedgerRecordTest {

    @Test
    void anUnlimitedBudgetGrantsEverythingAndStillCounts() {
        LedgerRecord ledger = new LedgerRecord(0);

        assertThat(ledger.reserve(new long[] {50_000, 70_000}, 10_000)).isEqualTo(2);
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
        assertThat(ledger.reserve(new long[] {30_000, 30_000, 30_000, 30_000}, 10_000)).isEqualTo(3);
        assertThat(ledger.snapshot().remaining()).isEqualTo(10_000);
    }

    @Test
    void theMinimumPerRunningPhaseCanRefuseACheapPhase() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        assertThat(ledger.reserve(new long[] {40_000, 40_000}, 10_000)).isEqualTo(2);

        // remaining 20k covers the 5k estimate but not 10k x 3 running phases
        assertThat(ledger.reserve(new long[] {5_000}, 10_000)).isZero();
    }

    @Test
    void stopsAtTheFirstRefusalToKeepPriorities() {
        LedgerRecord ledger = new LedgerRecord(50_000);

        assertThat(ledger.reserve(new long[] {60_000, 1_000}, 0)).isZero();
        assertThat(ledger.snapshot().reserved()).isZero();
    }

    @Test
    void settlingChargesTheActualAndRefundsTheRest() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.reserve(new long[] {30_000}, 0);

        ledger.settle(30_000, 12_000);

        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 0, 12_000, 0));
        assertThat(ledger.snapshot().remaining()).isEqualTo(88_000);
    }

    @Test
    void settlingABatchAtOnceEqualsSettlingEachOfIt() {
        LedgerRecord oneByOne = new LedgerRecord(100_000);
        LedgerRecord batched = new LedgerRecord(100_000);
        oneByOne.reserve(new long[] {10_000, 20_000, 30_000}, 0);
        batched.reserve(new long[] {10_000, 20_000, 30_000}, 0);

        oneByOne.settle(10_000, 4_000);
        oneByOne.settle(20_000, 25_000);
        oneByOne.settle(30_000, 1_000);
        batched.settle(60_000, 30_000, 3);

        assertThat(batched.snapshot()).isEqualTo(oneByOne.snapshot())
                .isEqualTo(new LedgerSnapshot(100_000, 0, 30_000, 0));
    }

    @Test
    void aReleaseChargesNothing() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.reserve(new long[] {30_000}, 0);

        ledger.settle(30_000, 0);

        assertThat(ledger.snapshot()).isEqualTo(new LedgerSnapshot(100_000, 0, 0, 0));
    }

    @Test
    void levelsFollowTheSeedsThresholdsAndStopRefusesNewReservations() {
        LedgerRecord ledger = new LedgerRecord(100_000);
        ledger.reserve(new long[] {80_000}, 0);
        assertThat(ledger.snapshot().level()).isEqualTo(BudgetLevel.WARN);
        ledger.settle(80_000, 90_000);
        assertThat(ledger.snapshot().level()).isEqualTo(BudgetLevel.CRITICAL);
        ledger.reserve(new long[] {5_000}, 0);
        assertThat(ledger.snapshot().level()).isEqualTo(BudgetLevel.STOP);

        assertThat(ledger.reserve(new long[] {1}, 0)).isZero();
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
}
