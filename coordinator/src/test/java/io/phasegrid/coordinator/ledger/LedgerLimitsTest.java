package io.phasegrid.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The ledger at the edges of its numbers: budgets, top-ups and totals never overflow and never go negative. */
class LedgerLimitsTest {

    private static final long CAP = Tokens.CAP;

    private static LedgerShare share(String key, long reserved, long used) {
        return new LedgerShare(key, 1, reserved, used, 0, new long[0], 0);
    }

    @Test
    void aBudgetIsZeroToTenToTheEighteen() {
        LedgerRecord ledger = new LedgerRecord(0);

        ledger.setBudget(CAP);
        assertThat(ledger.snapshot().budget()).isEqualTo(CAP);
        assertThatThrownBy(() -> ledger.setBudget(CAP + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10^18");
        assertThatThrownBy(() -> ledger.setBudget(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.snapshot().budget()).as("unchanged").isEqualTo(CAP);
    }

    @Test
    void aTopUpThatWouldPassTheMaximumIsRefusedAndChangesNothing() {
        LedgerRecord ledger = new LedgerRecord(CAP - 10);

        assertThatThrownBy(() -> ledger.topUp(11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the maximum");
        assertThatThrownBy(() -> ledger.topUp(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.topUp(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.snapshot().budget()).isEqualTo(CAP - 10);

        ledger.topUp(10);
        assertThat(ledger.snapshot().budget()).isEqualTo(CAP);
    }

    @Test
    void totalsOfManyHugeSharesSaturateInsteadOfTurningNegativeAndTheBudgetStillLimits() {
        LedgerRecord ledger = new LedgerRecord(1_000_000);
        for (int i = 0; i < 20; i++) {
            ledger.sync(share("run-" + i + "#0", CAP / 2, CAP / 2), 0);
        }

        LedgerSnapshot now = ledger.snapshot();
        assertThat(now.used()).isEqualTo(CAP);
        assertThat(now.reserved()).isEqualTo(CAP);
        assertThat(now.remaining()).isZero();
        assertThat(now.level()).isEqualTo(BudgetLevel.STOP);
        assertThat(ledger.fund("new#0", 1, new long[] {1}, 0)).as("nothing more is funded").isZero();
    }

    @Test
    void hugeEstimatesOnAnUnlimitedBudgetSaturateTheReservation() {
        LedgerRecord ledger = new LedgerRecord(0);

        assertThat(ledger.fund("big#0", 1, new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE}, 0))
                .isEqualTo(3);
        assertThat(ledger.snapshot().reserved()).isEqualTo(CAP);
    }

    @Test
    void aHugeMinimumPerPhaseRefusesRatherThanWrapping() {
        LedgerRecord ledger = new LedgerRecord(CAP / 2);

        assertThat(ledger.fund("min#0", 1, new long[] {1, 1}, Long.MAX_VALUE)).isZero();
        assertThat(ledger.fund("min#1", 1, new long[] {1, 1}, CAP / 8)).as("1 x and 2 x CAP/8 fit").isEqualTo(2);
    }
}
