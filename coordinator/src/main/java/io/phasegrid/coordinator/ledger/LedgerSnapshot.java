package io.phasegrid.coordinator.ledger;

import java.io.Serializable;

/**
 * The ledger at one moment.
 *
 * @param budget total tokens, 0 = unlimited
 * @param reserved held by leased and running phases
 * @param used charged by finished attempts
 * @param running phases holding a reservation
 */
public record LedgerSnapshot(long budget, long reserved, long used, int running) implements Serializable {

    /** Tokens neither reserved nor used; {@link Long#MAX_VALUE} for an unlimited budget. */
    public long remaining() {
        return budget <= 0 ? Long.MAX_VALUE : Math.max(0, budget - reserved - used);
    }

    public BudgetLevel level() {
        return BudgetLevel.of(reserved + used, budget);
    }

    public boolean unlimited() {
        return budget <= 0;
    }
}
