package io.phasegrid.coordinator.run.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.ledger.FundingRule;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunState;
import java.io.IOException;
import java.util.Map;

/**
 * Sets a run's own token budget (0 = none), and resumes the run (PAUSED, or in the one-at-a-time fallback) when
 * the new budget carries its next phase (the READY phase first in dispatch order: reserved + used + its estimate within the budget), the way a ledger
 * top-up resumes paused runs ({@link ControlProcessors.Resume}). A run paused by the cluster ledger instead is resumed
 * too, and the ledger pauses it again at the next lease if it still cannot fund it. Copy-on-write and deterministic
 * like every run processor; answers whether the run resumed, null for an unknown run.
 */
public final class SetRunBudget implements EntryProcessor<String, RunRecord, Boolean>, IdentifiedDataSerializable {

    private long budgetTokens;
    private long now;

    public SetRunBudget() {
    }

    public SetRunBudget(long budgetTokens, long now) {
        if (budgetTokens < 0) {
            throw new IllegalArgumentException("budget_tokens must not be negative, was " + budgetTokens);
        }
        this.budgetTokens = budgetTokens;
        this.now = now;
    }

    @Override
    public Boolean process(Map.Entry<String, RunRecord> entry) {
        RunRecord stored = entry.getValue();
        if (stored == null) {
            return null;
        }
        if (stored.blueprint().settings().budgetTokens() == budgetTokens) {
            return Boolean.FALSE;
        }
        RunRecord copy = stored.copy();
        copy.setBudget(budgetTokens);
        boolean resumed = (copy.state() == RunState.PAUSED || copy.sequentialFallback()) && carriesNextPhase(copy)
                && copy.resume(now);
        entry.setValue(copy);
        return resumed;
    }

    /** Whether the run's budget carries its next phase (always, without a budget or a READY phase). */
    static boolean carriesNextPhase(RunRecord run) {
        long budget = run.blueprint().settings().budgetTokens();
        if (budget == 0) {
            return true;
        }
        int next = -1;
        for (int i = 0; i < run.phaseCount(); i++) {
            if (run.phaseState(i) == PhaseState.READY
                    && (next < 0 || run.blueprint().rank(i) < run.blueprint().rank(next))) {
                next = i;
            }
        }
        if (next < 0) {
            return true;
        }
        return FundingRule.runBudgetCarries(budget, run.tokensReserved(), run.tokensUsed(),
                run.blueprint().estimatedTokens(next));
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_SET_BUDGET;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(budgetTokens);
        out.writeLong(now);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        budgetTokens = in.readLong();
        now = in.readLong();
    }
}
