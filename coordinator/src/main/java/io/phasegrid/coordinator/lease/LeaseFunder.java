package io.phasegrid.coordinator.lease;

import io.phasegrid.coordinator.ledger.FundingRule;
import io.phasegrid.coordinator.ledger.LedgerRecord;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.metrics.CoordinatorMetrics;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.UnfundedResult;
import io.phasegrid.coordinator.run.store.ActiveRuns;
import io.phasegrid.coordinator.run.store.LeaseBatch;
import io.phasegrid.coordinator.run.store.LeaseRuns;
import java.util.List;

/**
 * The funding of a poll's leases on this member, in one place: the run's {@code Lease} call (its own budget,
 * {@link FundingRule#withinRunBudget}), the ledger's {@code Fund} of the granted estimates
 * ({@link FundingRule#withinLedger}), and telling the run which were funded: at once with {@code ConfirmFunding}
 * when some were refused (they go back to READY, and {@link FundingRule#onRefusal} pauses the run or falls back),
 * otherwise with the run's next batch of reports through this member ({@link #takeUnconfirmed}). The metrics of
 * fallbacks and budget pauses are recorded here.
 */
final class LeaseFunder {

    private final LeaseRuns store;
    private final TokenLedger ledger;
    private final ActiveRuns active;
    private final CoordinatorMetrics metrics;
    private final UnconfirmedFundings unconfirmed = new UnconfirmedFundings();

    LeaseFunder(LeaseRuns store, TokenLedger ledger, ActiveRuns active, CoordinatorMetrics metrics) {
        this.store = store;
        this.ledger = ledger;
        this.active = active;
        this.metrics = metrics;
    }

    /**
     * Leases up to {@code wanted} phases of the run within its own budget, reservations awaiting the ledger's
     * funding ({@link #fund}). Null for an unknown run; a finished run's fundings waiting to be told are forgotten.
     */
    LeaseBatch lease(String runId, String workerName, int wanted, long now) {
        LeaseBatch batch = store.lease(runId, workerName, wanted, now, true);
        if (batch == null || batch.finished()) {
            unconfirmed.forget(runId);
            return batch;
        }
        if (batch.fellBack()) {
            metrics.fallbackToSequential();
        }
        if (batch.refusedByRunBudget() > 0 && batch.paused()) {
            metrics.pausedOnBudget();
        }
        return batch;
    }

    /**
     * Funds the batch's grants on the ledger (idempotent per lease call). A member dying before the run is told
     * leaves fundings the run never confirms: each lease is settled by its own report or expiry, and the next sync
     * of the run's share that no longer lists the call drops the funding.
     *
     * @return how many of the grants (a prefix) were funded: offer those; 0 also when the ledger had settled the
     *     call already (the leases are gone: expired, or the run was cancelled meanwhile)
     */
    int fund(String runId, LeaseBatch batch, long minTokensPerPhase, long now) {
        List<LeaseGrant> grants = batch.grants();
        int granted = ledger.fund(batch.shareKey(), batch.leaseCall(), LeaseGrant.estimates(grants),
                minTokensPerPhase);
        if (granted == LedgerRecord.STALE_CALL) {
            return 0;
        }
        int[] funded = new int[granted];
        long[] fundedEpochs = new long[granted];
        int[] refused = new int[grants.size() - granted];
        long[] refusedEpochs = new long[refused.length];
        for (int k = 0; k < grants.size(); k++) {
            if (k < granted) {
                funded[k] = grants.get(k).phase();
                fundedEpochs[k] = grants.get(k).epoch();
            } else {
                refused[k - granted] = grants.get(k).phase();
                refusedEpochs[k - granted] = grants.get(k).epoch();
            }
        }
        unconfirmed.add(runId, funded, fundedEpochs); // told with the run's next batch of reports
        if (refused.length > 0) {
            // the refused ones go back now, and the run is told of everything funded with them
            UnconfirmedFundings.Leases toConfirm = unconfirmed.drain(runId);
            UnfundedResult unfunded = store.confirmFunding(runId, toConfirm.phases(), toConfirm.epochs(), refused,
                    refusedEpochs, granted == 0, now);
            if (unfunded != null && unfunded.fellBack()) {
                metrics.fallbackToSequential();
            }
            if (unfunded != null && unfunded.pausedNow()) {
                metrics.pausedOnBudget(); // once per pause, however many polls were refused
            }
            if (granted == 0) {
                active.paused(runId); // until it changes: PAUSED, or fallen back with nothing leasable now
            }
        }
        return granted;
    }

    /**
     * Takes the leases of the run the ledger funded that the run has not been told of yet: the caller's next
     * processor call on the run (a batch of reports) confirms them.
     */
    UnconfirmedFundings.Leases takeUnconfirmed(String runId) {
        return unconfirmed.drain(runId);
    }
}
