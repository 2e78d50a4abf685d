package io.phasegrid.coordinator.ledger;

/** How much of the budget is consumed (reserved + used): the seed's warn / critical / stop thresholds. */
public enum BudgetLevel {
    OK,
    /** At least 80 %. */
    WARN,
    /** At least 90 %. */
    CRITICAL,
    /** At least 95 %: no new reservations. */
    STOP;

    static final double WARN_AT = 0.80;
    static final double CRITICAL_AT = 0.90;
    static final double STOP_AT = 0.95;

    /** The level of {@code consumed} out of {@code budget}; an unlimited budget (0) is always OK. */
    public static BudgetLevel of(long consumed, long budget) {
        if (budget <= 0) {
            return OK;
        }
        double share = (double) consumed / budget;
        if (share >= STOP_AT) {
            return STOP;
        }
        if (share >= CRITICAL_AT) {
            return CRITICAL;
        }
        return share >= WARN_AT ? WARN : OK;
    }
}
