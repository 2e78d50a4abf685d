package io.phasegrid.coordinator.run.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.CompleteResult;
import io.phasegrid.coordinator.run.GitReport;
import io.phasegrid.coordinator.run.LeaseRef;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report side of a run's entry processors (see {@link RunProcessor}): a batch of outcomes, lease expiry. */
public final class ReportProcessors {

    private ReportProcessors() {
    }

    /**
     * Records the outcomes of several attempts of one run, in order, on one copy of the record (a batch of reports
     * costs one copy and one store, not one per report). A refused report changes nothing; the copy is stored when
     * at least one report was accepted (or a funding confirmed); the answer carries the run's ledger share then.
     */
    public static final class Complete extends RunProcessor<CompleteOutcomes> {
        private String[] keys;
        private long[] epochs;
        private byte[] outcomes;
        private long[] tokens;
        private String[] errors;
        private String[] workers;
        private String[] resultCommits;
        private String[][] conflictPaths;
        private String[] deliveryNotes;
        private long now;
        private int[] confirmPhases = new int[0];
        private long[] confirmEpochs = new long[0];

        public Complete() {
        }

        /**
         * @param confirmPhases leases the ledger funded that the run has not been told of (phase index, with their
         *     epochs in {@code confirmEpochs}): confirmed before the reports are applied
         */
        public Complete(List<PhaseReport> reports, long now, int[] confirmPhases, long[] confirmEpochs) {
            this(reports, now);
            this.confirmPhases = confirmPhases.clone();
            this.confirmEpochs = confirmEpochs.clone();
        }

        public Complete(List<PhaseReport> reports, long now) {
            int n = reports.size();
            keys = new String[n];
            epochs = new long[n];
            outcomes = new byte[n];
            tokens = new long[n];
            errors = new String[n];
            workers = new String[n];
            resultCommits = new String[n];
            conflictPaths = new String[n][];
            deliveryNotes = new String[n];
            for (int k = 0; k < n; k++) {
                PhaseReport r = reports.get(k);
                keys[k] = r.key();
                epochs[k] = r.epoch();
                outcomes[k] = (byte) r.outcome().ordinal();
                tokens[k] = r.tokens();
                errors[k] = r.error();
                workers[k] = r.worker();
                resultCommits[k] = r.git().resultCommit();
                conflictPaths[k] = r.git().conflictPaths().toArray(String[]::new);
                deliveryNotes[k] = r.git().deliveryNote();
            }
            this.now = now;
        }

        @Override
        public CompleteOutcomes process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null) {
                return null;
            }
            RunRecord copy = stored.copy();
            boolean confirmed = copy.confirmFunding(confirmPhases, confirmEpochs) > 0;
            int n = keys.length;
            List<CompleteResult> results = new ArrayList<>(n);
            long[] startedAt = new long[n];
            int blockedBefore = copy.count(PhaseState.BLOCKED);
            boolean accepted = false;
            for (int k = 0; k < n; k++) {
                int i = copy.blueprint().indexOf(keys[k]);
                if (i >= 0 && !copy.heldBy(i, workers[k])) {
                    results.add(CompleteResult.notHolder(copy.phaseState(i), keys[k]));
                    continue;
                }
                startedAt[k] = i >= 0 ? copy.phaseStartedAt(i) : 0;
                GitReport git = new GitReport(resultCommits[k], List.of(conflictPaths[k]), deliveryNotes[k]);
                CompleteResult result = copy.complete(keys[k], epochs[k], Outcome.values()[outcomes[k]], tokens[k],
                        errors[k], git, now);
                results.add(result);
                if (result.accepted()) {
                    accepted = true;
                }
            }
            if (accepted || confirmed) {
                entry.setValue(copy);
            }
            return new CompleteOutcomes(results, startedAt, copy.state(),
                    copy.count(PhaseState.BLOCKED) - blockedBefore, copy.maxParallelism(),
                    !stored.state().isFinished() && copy.state().isFinished())
                    // an unstored copy's version is not real
                    .withShare(accepted || confirmed ? LedgerShares.of(copy) : null);
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_COMPLETE_BATCH;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeStringArray(keys);
            out.writeLongArray(epochs);
            out.writeByteArray(outcomes);
            out.writeLongArray(tokens);
            out.writeStringArray(errors);
            out.writeStringArray(workers);
            out.writeStringArray(resultCommits);
            for (String[] paths : conflictPaths) {
                out.writeStringArray(paths);
            }
            out.writeStringArray(deliveryNotes);
            out.writeLong(now);
            out.writeIntArray(confirmPhases);
            out.writeLongArray(confirmEpochs);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            keys = in.readStringArray();
            epochs = in.readLongArray();
            outcomes = in.readByteArray();
            tokens = in.readLongArray();
            errors = in.readStringArray();
            workers = in.readStringArray();
            resultCommits = in.readStringArray();
            conflictPaths = new String[keys.length][];
            for (int k = 0; k < keys.length; k++) {
                conflictPaths[k] = in.readStringArray();
            }
            deliveryNotes = in.readStringArray();
            now = in.readLong();
            confirmPhases = in.readIntArray();
            confirmEpochs = in.readLongArray();
        }
    }

    /** Takes back the leases due at {@code now}; stores nothing when none is due. Answers the expired leases. */
    public static final class Expire extends RunProcessor.AtTime<List<LeaseRef>> {

        public Expire() {
        }

        public Expire(long now) {
            super(now);
        }

        @Override
        public List<LeaseRef> process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null || stored.nextDeadline() > now) {
                return List.of();
            }
            RunRecord copy = stored.copy();
            List<LeaseRef> expired = copy.expireLeases(now);
            entry.setValue(copy); // also when only re-armed: the deadline heap changed
            return List.copyOf(expired);
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_EXPIRE;
        }
    }
}
