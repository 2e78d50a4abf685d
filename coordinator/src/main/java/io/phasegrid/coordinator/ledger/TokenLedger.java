package io.phasegrid.coordinator.ledger;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.phasegrid.coordinator.hazelcast.MapNames;
import java.util.List;

/**
 * The cluster-wide token ledger: a domain service over the one ledger entry; every change is one entry processor
 * call ({@link LedgerProcessors}). The entry is the ledger map's key on a member, or a plain one in a test.
 */
public final class TokenLedger {

    static final String KEY = "cluster";

    /** Where the ledger record is kept: one entry, changed only by processors applied to it atomically. */
    public interface Entry {
        /** The stored record, null when none was ever stored. */
        LedgerRecord get();

        <R> R execute(EntryProcessor<String, LedgerRecord, R> processor);
    }

    private final Entry entry;

    /** Over the ledger map of {@code hazelcast} ({@link MapNames#LEDGER}). */
    public TokenLedger(HazelcastInstance hazelcast) {
        this(mapEntry(hazelcast.getMap(MapNames.LEDGER)));
    }

    public TokenLedger(Entry entry) {
        this.entry = entry;
    }

    private static Entry mapEntry(IMap<String, LedgerRecord> map) {
        return new Entry() {
            @Override
            public LedgerRecord get() {
                return map.get(KEY);
            }

            @Override
            public <R> R execute(EntryProcessor<String, LedgerRecord, R> processor) {
                return map.executeOnKey(KEY, processor);
            }
        };
    }

    public LedgerSnapshot snapshot() {
        LedgerRecord record = entry.get();
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
        return entry.execute(new LedgerProcessors.Fund(shareKey, leaseCall, estimates, minTokensPerPhase));
    }

    /**
     * Mirrors a run's totals, applied only when their version is newer than the ledger's (duplicates and reordering
     * are harmless); drops the fundings the share settles and folds shares finished {@link LedgerRecord#FOLD_AFTER_MS}
     * before {@code nowMs}.
     *
     * @return whether the budget is limited
     */
    public boolean sync(LedgerShare share, long nowMs) {
        return entry.execute(new LedgerProcessors.Sync(List.of(share), nowMs));
    }

    /** {@link #sync} of many shares in one call (the periodic re-push that repairs lost syncs); none: no call. */
    public void syncAll(List<LedgerShare> shares, long nowMs) {
        if (!shares.isEmpty()) {
            entry.execute(new LedgerProcessors.Sync(shares, nowMs));
        }
    }

    /** @throws IllegalArgumentException for a budget below 0 or over {@link Tokens#CAP} (before any call) */
    public LedgerSnapshot setBudget(long tokens) {
        LedgerRecord.requireBudget(tokens);
        return entry.execute(new LedgerProcessors.SetBudget(tokens));
    }

    /**
     * @throws IllegalArgumentException for a top-up below 1 or over {@link Tokens#CAP} (before any call), or one that
     *     would take the budget over {@link Tokens#CAP}
     * @throws IllegalStateException when the budget is unlimited
     */
    public LedgerSnapshot topUp(long tokens) {
        LedgerRecord.requireTopUp(tokens);
        return entry.execute(new LedgerProcessors.TopUp(tokens));
    }
}
