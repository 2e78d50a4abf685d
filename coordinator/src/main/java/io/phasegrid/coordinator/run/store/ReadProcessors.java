package io.phasegrid.coordinator.run.store;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.ledger.LedgerShare;
import io.phasegrid.coordinator.run.EventPage;
import io.phasegrid.coordinator.run.RunRecord;
import java.io.IOException;
import java.util.Map;

/**
 * The read-only processors of a run (see {@link RunProcessor}): they implement {@link ReadOnly}, have no backup
 * processor and never set the value.
 */
public final class ReadProcessors {

    private ReadProcessors() {
    }

    /** Read-only: the run as status shows it, with or without its phases. */
    public static final class View extends RunProcessor<SummaryData> implements ReadOnly {
        private boolean withPhases;

        public View() {
        }

        public View(boolean withPhases) {
            this.withPhases = withPhases;
        }

        @Override
        public SummaryData process(Map.Entry<String, RunRecord> entry) {
            RunRecord r = entry.getValue();
            return r == null ? null : new SummaryData(RunSummary.of(r, withPhases));
        }

        @Override
        public EntryProcessor<String, RunRecord, SummaryData> getBackupProcessor() {
            return null;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_VIEW;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeBoolean(withPhases);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            withPhases = in.readBoolean();
        }
    }

    /** Read-only: the run's events after a sequence number, with its state (so a watcher knows when it ended). */
    public static final class Events extends RunProcessor<EventPage> implements ReadOnly {
        private long since;

        public Events() {
        }

        public Events(long since) {
            this.since = since;
        }

        @Override
        public EventPage process(Map.Entry<String, RunRecord> entry) {
            RunRecord r = entry.getValue();
            return r == null ? null : r.eventsSince(since);
        }

        @Override
        public EntryProcessor<String, RunRecord, EventPage> getBackupProcessor() {
            return null;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_EVENTS;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(since);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            since = in.readLong();
        }
    }

    /** Read-only: the run's share on the cluster ledger, as stored. */
    public static final class LedgerShareOf extends RunProcessor<LedgerShare>
            implements ReadOnly {

        public LedgerShareOf() {
        }

        @Override
        public LedgerShare process(Map.Entry<String, RunRecord> entry) {
            RunRecord r = entry.getValue();
            return r == null ? null : LedgerShares.of(r);
        }

        @Override
        public EntryProcessor<String, RunRecord, LedgerShare> getBackupProcessor() {
            return null;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_LEDGER_SHARE_OF;
        }

        @Override
        public void writeData(ObjectDataOutput out) {
        }

        @Override
        public void readData(ObjectDataInput in) {
        }
    }
}
