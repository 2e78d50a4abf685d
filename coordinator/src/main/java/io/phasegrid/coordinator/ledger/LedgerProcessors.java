package io.phasegrid.coordinator.ledger;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The only ways the ledger changes: entry processors run atomically on the ledger key's owner. The backup replica
 * runs the same processor, so each is deterministic in its arguments. A missing ledger is an unlimited one.
 */
public final class LedgerProcessors {

    private LedgerProcessors() {
    }

    /**
     * A copy of the stored ledger (or a new unlimited one): processors never mutate the stored object in place, so
     * a processor that throws half-way leaves the ledger as it was.
     */
    private static LedgerRecord current(Map.Entry<String, LedgerRecord> entry) {
        LedgerRecord record = entry.getValue();
        return record != null ? record.copy() : new LedgerRecord(0);
    }

    /** Funds one Lease call of one share, idempotently; returns how many of the estimates were granted. */
    public static final class Fund
            implements EntryProcessor<String, LedgerRecord, Integer>, IdentifiedDataSerializable {
        private String key;
        private long leaseCall;
        private long[] estimates;
        private long minTokensPerPhase;

        public Fund() {
        }

        public Fund(String key, long leaseCall, long[] estimates, long minTokensPerPhase) {
            this.key = key;
            this.leaseCall = leaseCall;
            this.estimates = estimates.clone();
            this.minTokensPerPhase = minTokensPerPhase;
        }

        @Override
        public Integer process(Map.Entry<String, LedgerRecord> entry) {
            LedgerRecord record = current(entry);
            int granted = record.fund(key, leaseCall, estimates, minTokensPerPhase);
            entry.setValue(record);
            return granted;
        }

        @Override
        public int getFactoryId() {
            return SerializationIds.FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return SerializationIds.LEDGER_FUND;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(key);
            out.writeLong(leaseCall);
            out.writeLongArray(estimates);
            out.writeLong(minTokensPerPhase);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            key = in.readString();
            leaseCall = in.readLong();
            estimates = in.readLongArray();
            minTokensPerPhase = in.readLong();
        }
    }

    /**
     * Applies runs' shares (each only when newer) and folds the finished ones past their grace period at the
     * caller's {@code nowMs}; answers whether the budget is limited.
     */
    public static final class Sync
            implements EntryProcessor<String, LedgerRecord, Boolean>, IdentifiedDataSerializable {
        private List<LedgerShare> shares;
        private long nowMs;

        public Sync() {
        }

        public Sync(List<LedgerShare> shares, long nowMs) {
            this.shares = List.copyOf(shares);
            this.nowMs = nowMs;
        }

        @Override
        public Boolean process(Map.Entry<String, LedgerRecord> entry) {
            LedgerRecord record = current(entry);
            boolean limited = record.syncAll(shares, nowMs);
            entry.setValue(record);
            return limited;
        }

        @Override
        public int getFactoryId() {
            return SerializationIds.FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return SerializationIds.LEDGER_SYNC;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(nowMs);
            out.writeInt(shares.size());
            // one known type: written in place, without a type header per share
            for (LedgerShare share : shares) {
                share.writeData(out);
            }
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            nowMs = in.readLong();
            int count = in.readInt();
            List<LedgerShare> read = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                LedgerShare share = new LedgerShare();
                share.readData(in);
                read.add(share);
            }
            shares = read;
        }
    }

    /** A budget change with one token argument; returns the ledger after. */
    abstract static class BudgetChange
            implements EntryProcessor<String, LedgerRecord, LedgerSnapshot>, IdentifiedDataSerializable {
        protected long tokens;

        BudgetChange() {
        }

        BudgetChange(long tokens) {
            this.tokens = tokens;
        }

        abstract void apply(LedgerRecord record);

        @Override
        public final LedgerSnapshot process(Map.Entry<String, LedgerRecord> entry) {
            LedgerRecord record = current(entry);
            apply(record);
            entry.setValue(record);
            return record.snapshot();
        }

        @Override
        public final int getFactoryId() {
            return SerializationIds.FACTORY_ID;
        }

        @Override
        public final void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(tokens);
        }

        @Override
        public final void readData(ObjectDataInput in) throws IOException {
            tokens = in.readLong();
        }
    }

    /** Sets the budget. */
    public static final class SetBudget extends BudgetChange {

        public SetBudget() {
        }

        public SetBudget(long tokens) {
            super(tokens);
        }

        @Override
        void apply(LedgerRecord record) {
            record.setBudget(tokens);
        }

        @Override
        public int getClassId() {
            return SerializationIds.LEDGER_SET_BUDGET;
        }
    }

    /** Adds tokens to a limited budget. */
    public static final class TopUp extends BudgetChange {

        public TopUp() {
        }

        public TopUp(long tokens) {
            super(tokens);
        }

        @Override
        void apply(LedgerRecord record) {
            record.topUp(tokens);
        }

        @Override
        public int getClassId() {
            return SerializationIds.LEDGER_TOP_UP;
        }
    }
}
