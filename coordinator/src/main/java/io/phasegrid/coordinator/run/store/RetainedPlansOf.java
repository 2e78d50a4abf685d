package io.phasegrid.coordinator.run.store;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Read-only, on a run: null while it is not finished (or unknown), else the PLAN paths whose contents it still needs —
 * those of the phases a retry re-runs (FAILED, BLOCKED, CANCELLED; {@link RunRecord#retry}). A SUCCEEDED run needs
 * none; SUCCEEDED and SKIPPED phases never run again. A retried run's set only shrinks (a phase that succeeded
 * stays so), which is why contents dropped at one finish are never needed later.
 */
public final class RetainedPlansOf extends RunProcessor<String[]> implements ReadOnly {

    @Override
    public String[] process(Map.Entry<String, RunRecord> entry) {
        RunRecord run = entry.getValue();
        if (run == null || !run.state().isFinished()) {
            return null;
        }
        Set<String> keep = new LinkedHashSet<>();
        RunBlueprint blueprint = run.blueprint();
        for (int i = 0; i < run.phaseCount(); i++) {
            PhaseState s = run.phaseState(i);
            if (s == PhaseState.FAILED || s == PhaseState.BLOCKED || s == PhaseState.CANCELLED) {
                for (RunBlueprint.PlanRef plan : blueprint.plans(i)) {
                    keep.add(plan.path());
                }
            }
        }
        return keep.toArray(String[]::new);
    }

    @Override
    public EntryProcessor<String, RunRecord, String[]> getBackupProcessor() {
        return null;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_RETAINED_PLANS_OF;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
    }

    @Override
    public void readData(ObjectDataInput in) {
    }
}
