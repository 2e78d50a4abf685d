package io.phasegrid.coordinator.run.store;

import io.phasegrid.coordinator.ledger.LedgerShare;
import io.phasegrid.coordinator.ledger.TokenLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The best-effort sync of one run's share on the ledger, after a change that settled or released reservations (a
 * batch of reports, an expiry, a cancel). Harmless to lose: the shares are absolute and versioned, so the next sync
 * of the run, or the sweeper's periodic one, carries newer totals; a failure is logged, never thrown.
 */
public final class ShareSync {

    private static final Logger LOG = LoggerFactory.getLogger(ShareSync.class);

    private final RunRepository store;
    private final TokenLedger ledger;

    public ShareSync(RunRepository store, TokenLedger ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    /** Reads the run's share as stored now and syncs it; see {@link #sync(String, LedgerShare, long)}. */
    public boolean syncStored(String runId, long nowMs) {
        LedgerShare share;
        try {
            share = store.ledgerShare(runId);
        } catch (RuntimeException e) {
            LOG.warn("run {}: reading its ledger share failed; the next sync repairs it", runId, e);
            return false;
        }
        return share != null && sync(runId, share, nowMs);
    }

    /**
     * Syncs a share already read.
     *
     * @return whether it was synced and the budget is limited (false when the sync failed)
     */
    public boolean sync(String runId, LedgerShare share, long nowMs) {
        try {
            return ledger.sync(share, nowMs);
        } catch (RuntimeException e) {
            LOG.warn("run {}: the ledger sync of version {} failed; the next sync repairs it", runId,
                    share.version(), e);
            return false;
        }
    }
}
