package io.phasegrid.coordinator.run.store;

import io.phasegrid.coordinator.ledger.LedgerShare;
import io.phasegrid.coordinator.run.RunRecord;

/** What the cluster ledger mirrors of a run: built only from a record as stored (its version must be real). */
final class LedgerShares {

    private LedgerShares() {
    }

    static LedgerShare of(RunRecord stored) {
        return new LedgerShare(stored.ledgerShareKey(), stored.version(), stored.confirmedReserved(),
                stored.incarnationUsed(), stored.confirmedLeases(), stored.unconfirmedCalls(),
                stored.state().isFinished() ? stored.finishedAtMs() : 0);
    }
}
