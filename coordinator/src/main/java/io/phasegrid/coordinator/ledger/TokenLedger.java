package io.phasegrid.coordinator.ledger;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.phasegrid.coordinator.hazelcast.MapNames;

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

    /** Reserves a prefix of {@code estimates} (in priority order); returns how many were granted. */
    public int reserve(long[] estimates, long minTokensPerPhase) {
        if (estimates.length == 0) {
            return 0;
        }
        return map.executeOnKey(KEY, new LedgerProcessors.Reserve(estimates, minTokensPerPhase));
    }

    /**
     * Commits a finished attempt: charges {@code actual}, refunds the rest of its reservation.
     *
     * @return whether the budget is limited (an unlimited one never held a phase back)
     */
    public boolean commit(long reservedEstimate, long actual) {
        return commit(reservedEstimate, actual, 1);
    }

    /** {@link #commit(long, long)} of {@code reservations} finished attempts at once, their sums given. */
    public boolean commit(long reservedEstimates, long actual, int reservations) {
        return map.executeOnKey(KEY, new LedgerProcessors.Settle(reservedEstimates, actual, reservations));
    }

    /** Releases a reservation without charge (lease expired, lease refused by the run). */
    public void release(long reservedEstimate) {
        commit(reservedEstimate, 0);
    }

    /** @throws IllegalArgumentException for a negative budget */
    public LedgerSnapshot setBudget(long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("budget must not be negative: " + tokens);
        }
        return map.executeOnKey(KEY, new LedgerProcessors.SetBudget(tokens));
    }

    /**
     * @throws IllegalArgumentException for a top-up that is not positive
     * @throws IllegalStateException when the budget is unlimited
     */
    public LedgerSnapshot topUp(long tokens) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("top-up must be positive: " + tokens);
        }
        return map.executeOnKey(KEY, new LedgerProcessors.TopUp(tokens));
    }
}
