package io.phasegrid.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.coordinator.ledger.FundingRule.Refusal;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How many of a poll's leases are funded, as tables: the run's own budget, the cluster ledger, what a refusal does
 * to the run, and whether a changed run budget carries the next phase. {@code CAP} is 10^18, {@code MAX} 2^63 - 1.
 */
class FundingRuleTest {

    private static long tokens(String value) {
        return switch (value) {
            case "CAP" -> Tokens.CAP;
            case "CAP-1" -> Tokens.CAP - 1;
            case "MAX" -> Long.MAX_VALUE;
            default -> Long.parseLong(value);
        };
    }

    /** Space-separated estimates in priority order; empty = none. */
    private static long[] estimates(String list) {
        return list == null || list.isBlank() ? new long[0]
                : Arrays.stream(list.trim().split(" +")).mapToLong(FundingRuleTest::tokens).toArray();
    }

    @ParameterizedTest(name = "run budget {0}, committed {1}, estimates [{2}] -> {3} fit ({4})")
    @CsvSource(delimiter = '|', textBlock = """
            0     | 0     | 500 500 500 | 3 | no budget: everything fits
            0     | CAP   | MAX MAX     | 2 | no budget, even saturated
            1000  | 0     | 500 500     | 2 | exactly the budget
            1000  | 0     | 500 501     | 1 | a prefix: the second would pass the budget
            1000  | 0     | 600 500 100 | 1 | priorities kept: stops at the first that does not fit
            1000  | 600   | 500 100     | 0 | reserved + used already take most of it
            1000  | 1000  | 0 0 0       | 3 | zero estimates fit a budget used up exactly
            1000  | 1001  | 0           | 0 | a run over its budget gets nothing, not even a zero estimate
            1000  | 0     |             | 0 | no candidates
            1000  | 0     | MAX MAX     | 0 | estimates whose sum would wrap do not fit a small budget
            CAP   | CAP-1 | 1 1         | 2 | at 10^18 the sum saturates: a budget of 10^18 carries it
            CAP-1 | CAP-1 | 1           | 0 | one below the cap is exact
            """)
    void theRunsOwnBudgetGrantsThePrefixThatKeepsReservedPlusUsedWithinIt(String budget, String committed,
            String estimates, int fit, String why) {
        assertThat(FundingRule.withinRunBudget(tokens(budget), tokens(committed), estimates(estimates)))
                .as(why).isEqualTo(fit);
    }

    @ParameterizedTest(name = "ledger {0}/{1}/{2}/{3}, min {5}, estimates [{4}] -> {6} granted ({7})")
    @CsvSource(delimiter = '|', textBlock = """
            0    | CAP | CAP | 99 | MAX MAX   | CAP | 2 | unlimited: everything is granted
            1000 | 0   | 0   | 0  | 400 400 400 | 0 | 2 | a prefix: the third finds 200 left
            1000 | 0   | 0   | 0  | 600 500 100 | 0 | 1 | the first refusal ends the grant
            1000 | 300 | 200 | 2  | 200 300 1 | 0   | 2 | partly funded: earlier fundings and used count
            1000 | 0   | 0   | 0  | 0 0 0 0   | 300 | 3 | min tokens per phase x (leases + 1) must remain
            1000 | 0   | 0   | 2  | 0         | 400 | 0 | the open leases count for the minimum
            100  | 0   | 95  | 0  | 0         | 0   | 0 | stop level (95 %): not even a zero estimate
            100  | 0   | 94  | 0  | 1 1       | 0   | 1 | the first takes the ledger to its stop level
            1000 | 0   | 0   | 0  |           | 0   | 0 | no candidates
            1000 | 0   | 0   | 0  | MAX       | 0   | 0 | an estimate past the budget
            CAP  | CAP | CAP | 0  | 0         | 0   | 0 | saturated totals leave nothing (no overflow)
            CAP  | 0   | 0   | 5  | 0 0       | CAP | 2 | min x leases saturates at 10^18 and still fits
            CAP  | 0   | 0   | 0  | CAP 0     | 0   | 1 | one estimate of 10^18 takes the whole budget
            """)
    void theLedgerGrantsThePrefixTheClusterBudgetCarries(String budget, String reserved, String used, long leases,
            String estimates, String minTokensPerPhase, int granted, String why) {
        LedgerTotals ledger = new LedgerTotals(tokens(budget), tokens(reserved), tokens(used), leases);

        assertThat(FundingRule.withinLedger(ledger, estimates(estimates), tokens(minTokensPerPhase)))
                .as(why).isEqualTo(granted);
    }

    @ParameterizedTest(name = "none granted {0}, {1} others running -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | 0 | PAUSE
            true  | 1 | FALL_BACK
            false | 0 | FALL_BACK
            false | 3 | FALL_BACK
            """)
    void aRefusalPausesARunWithNothingGrantedAndNothingRunningElseFallsBack(boolean noneGranted, int othersRunning,
            Refusal refusal) {
        assertThat(FundingRule.onRefusal(noneGranted, othersRunning)).isEqualTo(refusal);
    }

    @ParameterizedTest(name = "run budget {0}, reserved {1}, used {2}, next {3} -> {4} ({5})")
    @CsvSource(delimiter = '|', textBlock = """
            0    | CAP | CAP | MAX | true  | no budget carries anything
            1000 | 300 | 200 | 500 | true  | exactly the budget
            1000 | 300 | 200 | 501 | false | one token over
            1000 | 0   | 0   | 0   | true  | a zero estimate
            CAP  | CAP | CAP | 0   | false | exact, not saturated: 2 x 10^18 is over 10^18
            CAP  | 0   | 0   | CAP | true  | one phase of 10^18
            CAP  | 0   | 0   | MAX | false | an estimate past the cap
            """)
    void aChangedRunBudgetCarriesTheNextPhaseOnlyWhenItFits(String budget, String reserved, String used,
            String estimate, boolean carries, String why) {
        assertThat(FundingRule.runBudgetCarries(tokens(budget), tokens(reserved), tokens(used), tokens(estimate)))
                .as(why).isEqualTo(carries);
    }
}
