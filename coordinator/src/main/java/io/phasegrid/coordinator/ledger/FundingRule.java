package io.phasegrid.coordinator.ledger;

/**
 * How many of a poll's leases are funded: the one place that decides it, pure (no Hazelcast, no clock). A poll's
 * candidates of one run, their estimates in priority order, pass two gates in turn, each granting a prefix so
 * priorities are kept:
 * <ol>
 *   <li>{@link #withinRunBudget}: the run's own {@code budgetTokens}, in the run's {@code Lease} processor;</li>
 *   <li>{@link #withinLedger}: the cluster budget, in the ledger's {@code Fund} processor.</li>
 * </ol>
 * When either refuses a suffix, {@link #onRefusal} says what becomes of the run. {@link #runBudgetCarries} is the
 * same run-budget question for one phase, asked when a run's budget changes.
 *
 * <p>The two gates run on different partitions (the run's and the ledger key's), so they are two functions; the
 * member's {@code LeaseFunder} calls them in that order through the processors.
 */
public final class FundingRule {

    /** What a refusal does to the run. */
    public enum Refusal {
        /** Nothing was granted and nothing else of the run is LEASED or RUNNING: PAUSED ({@code token_budget}). */
        PAUSE,
        /** Something of the run runs or was granted: one phase at a time from now on. */
        FALL_BACK
    }

    private FundingRule() {
    }

    /**
     * The longest prefix of {@code estimates} that keeps the run's reserved + used within its own budget.
     *
     * @param budget the run's {@code budgetTokens}; 0 or less = none, every estimate fits
     * @param committed the run's reserved + used before these leases (saturated: sums never wrap past the budget)
     * @return how many of {@code estimates} fit (0 = none)
     */
    public static int withinRunBudget(long budget, long committed, long[] estimates) {
        if (budget <= 0) {
            return estimates.length;
        }
        int fit = 0;
        while (fit < estimates.length && Tokens.add(committed, estimates[fit]) <= budget) {
            committed = Tokens.add(committed, estimates[fit]);
            fit++;
        }
        return fit;
    }

    /**
     * Whether the run's own budget carries one more phase: {@code reserved + used + estimate <= budget}, exact (budget,
     * reserved and used are within [0, 10^18], so neither side overflows); always without a budget.
     */
    public static boolean runBudgetCarries(long budget, long reserved, long used, long estimate) {
        return budget == 0 || reserved + used <= budget - estimate;
    }

    /**
     * The longest prefix of {@code estimates} the cluster budget carries, against everything the ledger counts now:
     * a phase is granted when, before it, {@code remaining >= estimate} and
     * {@code remaining >= minTokensPerPhase x (leases + 1)}, and the budget is not at its stop level
     * ({@link BudgetLevel#STOP}); it stops at the first refusal. An unlimited ledger grants all.
     *
     * @return how many of {@code estimates} were granted
     */
    public static int withinLedger(LedgerTotals ledger, long[] estimates, long minTokensPerPhase) {
        long budget = ledger.budget();
        if (budget <= 0) {
            return estimates.length;
        }
        long reservedSoFar = ledger.reserved();
        long leasesSoFar = ledger.leases();
        int granted = 0;
        for (long estimate : estimates) {
            // every term is within [0, CAP]: the difference cannot overflow
            long remaining = budget - reservedSoFar - ledger.used();
            boolean fits = remaining >= estimate
                    && remaining >= Tokens.multiply(minTokensPerPhase, leasesSoFar + 1)
                    && BudgetLevel.of(Tokens.add(reservedSoFar, ledger.used()), budget) != BudgetLevel.STOP;
            if (!fits) {
                break;
            }
            reservedSoFar = Tokens.add(reservedSoFar, estimate);
            leasesSoFar++;
            granted++;
        }
        return granted;
    }

    /**
     * What becomes of a run some of whose candidates were refused (by its own budget or by the ledger).
     *
     * @param noneGranted none of the poll's candidates was granted (the first was refused)
     * @param othersRunning the run's LEASED and RUNNING phases besides the refused ones
     */
    public static Refusal onRefusal(boolean noneGranted, int othersRunning) {
        return noneGranted && othersRunning == 0 ? Refusal.PAUSE : Refusal.FALL_BACK;
    }
}
