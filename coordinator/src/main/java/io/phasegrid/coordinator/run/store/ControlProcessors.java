package io.phasegrid.coordinator.run.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.CancelResult;
import io.phasegrid.coordinator.run.RetryResult;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunState;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The control processors of a run (see {@link RunProcessor}): cancel, retry, resume after a top-up, and the
 * retention janitor's purge. The run's own budget is {@link SetRunBudget}.
 */
public final class ControlProcessors {

    private ControlProcessors() {
    }

    /** Cancels the run; answers the revoked leases (release their reservations). */
    public static final class Cancel extends RunProcessor.AtTime<CancelResult> {

        public Cancel() {
        }

        public Cancel(long now) {
            super(now);
        }

        @Override
        public CancelResult process(Map.Entry<String, RunRecord> entry) {
            return onCopy(entry, copy -> copy.cancel(now), CancelResult::changed);
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_CANCEL;
        }
    }

    /** Re-runs a finished run's failed, blocked and cancelled phases. */
    public static final class Retry extends RunProcessor<RetryResult> {
        private long now;
        private String[] resolvedKeys = new String[0];
        private String[] resolvedCommits = new String[0];

        public Retry() {
        }

        public Retry(long now) {
            this.now = now;
        }

        /** @param resolutions phase key -> the commit its next attempt starts at (git runs) */
        public Retry(long now, Map<String, String> resolutions) {
            this.now = now;
            resolvedKeys = resolutions.keySet().toArray(String[]::new);
            resolvedCommits = resolutions.values().toArray(String[]::new);
        }

        @Override
        public RetryResult process(Map.Entry<String, RunRecord> entry) {
            Map<String, String> resolutions = new LinkedHashMap<>();
            for (int k = 0; k < resolvedKeys.length; k++) {
                resolutions.put(resolvedKeys[k], resolvedCommits[k]);
            }
            return onCopy(entry, copy -> copy.retry(resolutions, now), r -> r.accepted() && r.phasesReset() > 0);
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_RETRY;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(now);
            out.writeStringArray(resolvedKeys);
            out.writeStringArray(resolvedCommits);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            now = in.readLong();
            resolvedKeys = in.readStringArray();
            resolvedCommits = in.readStringArray();
        }
    }

    /** After a top-up: clears PAUSED and the sequential fallback; answers whether anything changed. */
    public static final class Resume extends RunProcessor.AtTime<Boolean> {

        public Resume() {
        }

        public Resume(long now) {
            super(now);
        }

        @Override
        public Boolean process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null || (stored.state() != RunState.PAUSED
                    && !stored.sequentialFallback())) {
                return stored == null ? null : Boolean.FALSE;
            }
            RunRecord copy = stored.copy();
            boolean changed = copy.resume(now);
            entry.setValue(copy);
            return changed;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_RESUME;
        }
    }

    /**
     * Deletes the run if it is still finished at or before {@code now} (the cutoff): the retention janitor's check and
     * delete in one step, so a run restarted by a retry meanwhile is kept. Answers whether it was deleted.
     */
    public static final class Purge extends RunProcessor.AtTime<Boolean> {

        public Purge() {
        }

        public Purge(long cutoff) {
            super(cutoff);
        }

        @Override
        public Boolean process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null || !stored.state().isFinished() || stored.finishedAtMs() > now) {
                return Boolean.FALSE;
            }
            entry.setValue(null);
            return Boolean.TRUE;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_PURGE;
        }
    }
}
