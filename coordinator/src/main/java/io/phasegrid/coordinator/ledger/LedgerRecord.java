package io.phasegrid.coordinator.ledger;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;

/**
 * The cluster-wide token ledger: one value in the ledger map, changed only by {@link LedgerProcessors}. The rules
 * live here as plain methods so they are tested without Hazelcast.
 */
public final class LedgerRecord implements IdentifiedDataSerializable {

    private long budget;
    private long reserved;
    private long used;
    private int running;

    public LedgerRecord() {
    }

    public LedgerRecord(long budget) {
        this.budget = budget;
    }

    LedgerRecord copy() {
        LedgerRecord copy = new LedgerRecord(budget);
        copy.reserved = reserved;
        copy.used = used;
        copy.running = running;
        return copy;
    }

    public LedgerSnapshot snapshot() {
        return new LedgerSnapshot(budget, reserved, used, running);
    }

    /**
     * Reserves the estimates in order while the budget carries them: a phase is granted when, before it,
     * {@code remaining >= estimate} and {@code remaining >= minTokensPerPhase x (running + 1)}, and the budget is
     * not at its stop level. Stops at the first refusal so priorities are kept.
     *
     * @return how many of {@code estimates} (a prefix) were reserved
     */
    public int reserve(long[] estimates, long minTokensPerPhase) {
        int granted = 0;
        for (long estimate : estimates) {
            if (budget > 0) {
                long remaining = budget - reserved - used;
                boolean fits = remaining >= estimate
                        && remaining >= saturatedMultiply(minTokensPerPhase, running + 1L)
                        && BudgetLevel.of(reserved + used, budget) != BudgetLevel.STOP;
                if (!fits) {
                    break;
                }
            }
            reserved += estimate;
            running++;
            granted++;
        }
        return granted;
    }

    /**
     * Ends a reservation: charges {@code actual} tokens (0 for a released lease) and refunds the rest.
     * More than reserved is charged in full: the budget may go over, and the level shows it.
     */
    public void settle(long reservedEstimate, long actual) {
        settle(reservedEstimate, actual, 1);
    }

    /** Ends {@code reservations} reservations at once: their estimates and actual tokens summed (a batch). */
    public void settle(long reservedEstimates, long actual, int reservations) {
        reserved = Math.max(0, reserved - reservedEstimates);
        running = Math.max(0, running - Math.max(0, reservations));
        used += Math.max(0, actual);
    }

    public void setBudget(long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("budget must not be negative: " + tokens);
        }
        budget = tokens;
    }

    public void topUp(long tokens) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("top-up must be positive: " + tokens);
        }
        if (budget <= 0) {
            throw new IllegalStateException("the budget is unlimited (0): set a budget before topping it up");
        }
        budget = saturatedAdd(budget, tokens);
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.LEDGER_RECORD;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(budget);
        out.writeLong(reserved);
        out.writeLong(used);
        out.writeInt(running);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        budget = in.readLong();
        reserved = in.readLong();
        used = in.readLong();
        running = in.readInt();
    }
}
