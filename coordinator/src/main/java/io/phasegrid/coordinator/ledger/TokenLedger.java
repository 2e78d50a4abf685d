package io.phasegrid.coordinator.ledger;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.phasegrid.coordinator.hazelcast.MapNames;
import java.util.List;

/** The cluster-wide token ledger: a domain service over the ledger map; every change is one entry processor call. */
public final class TokenLedger {

    static final String KEY = "cluster";

    private final IMap<String, LedgerRecord> map;

    public TokenLedger(HazelcastInstance hazelcast) {
        this.map = hazelcast.getMap(MapNames.LEDGER);
    }

    public LedgerSnapshot snapshot() {
        LedgerRecord record = map.get(KEY);
        return record != null ? record.snapshot() : new LedgerRecord(0).snapshot();
    }

    /**
     * Funds the Lease call {@code leaseCall} of share {@code shareKey}: grants the prefix of {@code estimates} the
     * budget carries ({@link LedgerRecord#fund}). Idempotent per (shareKey, leaseCall): a repeat answers the first
     * count.
     *
     * @return how many of {@code estimates} were granted (0 for none, without a call), or
     *     {@link LedgerRecord#STALE_CALL} when a sync already settled the call (its leases are gone)
     */
    public int fund(String shareKey, long leaseCall, long[] estimates, long minTokensPerPhase) {
        if (estimates.length == 0) {
            return 0;
        }
        return map.executeOnKey(KEY, new LedgerProcessors.Fund(shareKey, leaseCall, estimates, minTokensPerPhase));
    }

    /**
     * Mirrors a run's totals, applied only when their version is newer than the ledger's (duplicates and reordering
     * are harmless); drops the fundings the share settles and folds shares finished {@link LedgerRecord#FOLD_AFTER_MS}
     * before {@code nowMs}.
     *
     * @return whether the budget is limited
     */
    public boolean sync(LedgerShare share, long nowMs) {
        return map.executeOnKey(KEY, new LedgerProcessors.Sync(List.of(share), nowMs));
    }

    /** {@link #sync} of many shares in one call (the periodic re-push that repairs lost syncs); none: no call. */
    public void syncAll(List<LedgerShare> shares, long nowMs) {
        if (!shares.isEmpty()) {
            map.executeOnKey(KEY, new LedgerProcessors.Sync(shares, nowMs));
        }
    }

    /** @throws IllegalArgumentException for a budget below 0 or over {@link Tokens#CAP} (before any call) */
    public LedgerSnapshot setBudget(long tokens) {
        LedgerRecord.requireBudget(tokens);
        return map.executeOnKey(KEY, new LedgerProcessors.SetBudget(tokens));
    }

    /**
     * @throws IllegalArgumentException for a top-up below 1 or over {@link Tokens#CAP} (before any call), or one that
     *     would take the budget over {@link Tokens#CAP}
     * @throws IllegalStateException when the budget is unlimited
     */
    public LedgerSnapshot topUp(long tokens) {
        LedgerRecord.requireTopUp(tokens);
        return map.executeOnKey(KEY, new LedgerProcessors.TopUp(tokens));
    }
}
