package io.phasegrid.coordinator.ledger;

/**
 * What the ledger counts cluster-wide when it funds a poll: the budget (0 = unlimited), the tokens reserved and used
 * and the open leases, each the sum over the runs' shares and the fundings not yet settled (saturated at
 * {@link Tokens#CAP}).
 */
public record LedgerTotals(long budget, long reserved, long used, long leases) {
}
