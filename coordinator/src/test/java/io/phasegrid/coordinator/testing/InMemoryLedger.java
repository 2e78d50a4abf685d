package io.phasegrid.coordinator.testing;

import com.hazelcast.map.EntryProcessor;
import io.phasegrid.coordinator.ledger.LedgerRecord;
import io.phasegrid.coordinator.ledger.TokenLedger;

/** The ledger's one entry in memory: {@code new TokenLedger(new InMemoryLedger())} is a ledger without a member. */
public final class InMemoryLedger implements TokenLedger.Entry {

    private static final String KEY = "cluster";

    private final InMemoryEntries<LedgerRecord> entry = new InMemoryEntries<>();

    @Override
    public LedgerRecord get() {
        return entry.get(KEY);
    }

    @Override
    public <R> R execute(EntryProcessor<String, LedgerRecord, R> processor) {
        return entry.execute(KEY, processor);
    }
}
