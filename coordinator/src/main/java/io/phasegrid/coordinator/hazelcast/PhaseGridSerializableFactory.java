package io.phasegrid.coordinator.hazelcast;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.checkpoint.CheckpointKey;
import io.phasegrid.coordinator.checkpoint.CheckpointStore;
import io.phasegrid.coordinator.lease.WorkerRecord;
import io.phasegrid.coordinator.ledger.LedgerProcessors;
import io.phasegrid.coordinator.ledger.LedgerRecord;
import io.phasegrid.coordinator.ledger.LedgerShare;
import io.phasegrid.coordinator.run.store.DueForSweep;
import io.phasegrid.coordinator.run.store.FinishedRuns;
import io.phasegrid.coordinator.run.store.MetaProcessors;
import io.phasegrid.coordinator.run.store.RetainedBytes;
import io.phasegrid.coordinator.run.store.RetainedBytesProcessors;
import io.phasegrid.coordinator.run.store.RetainedPlansOf;
import io.phasegrid.coordinator.run.store.RunMeta;
import io.phasegrid.coordinator.run.store.ControlProcessors;
import io.phasegrid.coordinator.run.store.LeaseProcessors;
import io.phasegrid.coordinator.run.store.ReadProcessors;
import io.phasegrid.coordinator.run.store.ReportProcessors;
import java.util.Map;
import java.util.function.Supplier;

/** Creates the coordinator's serializable values and entry processors from their class ids. */
public final class PhaseGridSerializableFactory implements DataSerializableFactory {

    private static final Map<Integer, Supplier<IdentifiedDataSerializable>> CONSTRUCTORS = Map.ofEntries(
            Map.entry(SerializationIds.LEDGER_RECORD, LedgerRecord::new),
            Map.entry(SerializationIds.LEDGER_SET_BUDGET, LedgerProcessors.SetBudget::new),
            Map.entry(SerializationIds.LEDGER_TOP_UP, LedgerProcessors.TopUp::new),
            Map.entry(SerializationIds.LEDGER_SHARE, LedgerShare::new),
            Map.entry(SerializationIds.LEDGER_FUND, LedgerProcessors.Fund::new),
            Map.entry(SerializationIds.LEDGER_SYNC, LedgerProcessors.Sync::new),
            Map.entry(SerializationIds.RUN_META, RunMeta::new),
            Map.entry(SerializationIds.CHECKPOINT, Checkpoint::new),
            Map.entry(SerializationIds.CHECKPOINT_KEY, CheckpointKey::new),
            Map.entry(SerializationIds.WORKER_RECORD, WorkerRecord::new),
            Map.entry(SerializationIds.WORKER_HEARTBEAT, io.phasegrid.coordinator.lease.WorkerHeartbeat::new),
            Map.entry(SerializationIds.WORKER_CLAIM, io.phasegrid.coordinator.lease.WorkerClaim::new),
            Map.entry(SerializationIds.PRINCIPAL_USAGE, io.phasegrid.coordinator.quota.PrincipalUsage::new),
            Map.entry(SerializationIds.QUOTA_ADMIT_RUN, io.phasegrid.coordinator.quota.AdmitRun::new),
            Map.entry(SerializationIds.RUN_IS_FINISHED, io.phasegrid.coordinator.run.store.IsFinished::new),
            Map.entry(SerializationIds.RUN_LEASE, LeaseProcessors.Lease::new),
            Map.entry(SerializationIds.RUN_CONFIRM_FUNDING, LeaseProcessors.ConfirmFunding::new),
            Map.entry(SerializationIds.RUN_RESUME, ControlProcessors.Resume::new),
            Map.entry(SerializationIds.RUN_SET_BUDGET, io.phasegrid.coordinator.run.store.SetRunBudget::new),
            Map.entry(SerializationIds.RUN_HEARTBEAT, LeaseProcessors.Heartbeat::new),
            Map.entry(SerializationIds.RUN_COMPLETE_BATCH, ReportProcessors.Complete::new),
            Map.entry(SerializationIds.RUN_COMPLETE_OUTCOMES, io.phasegrid.coordinator.run.store.CompleteOutcomes::new),
            Map.entry(SerializationIds.RUN_LEASE_BATCH, io.phasegrid.coordinator.run.store.LeaseBatch::new),
            Map.entry(SerializationIds.RUN_SUMMARY, io.phasegrid.coordinator.run.store.SummaryData::new),
            Map.entry(SerializationIds.RUN_LEDGER_SHARE_OF, ReadProcessors.LedgerShareOf::new),
            Map.entry(SerializationIds.RUN_FINISHED, FinishedRuns::new),
            Map.entry(SerializationIds.RUN_PURGE, ControlProcessors.Purge::new),
            Map.entry(SerializationIds.CHECKPOINTS_OF_RUNS,
                    io.phasegrid.coordinator.checkpoint.CheckpointsOfRuns::new),
            Map.entry(SerializationIds.RUN_EXPIRE, ReportProcessors.Expire::new),
            Map.entry(SerializationIds.RUN_CANCEL, ControlProcessors.Cancel::new),
            Map.entry(SerializationIds.RUN_RETRY, ControlProcessors.Retry::new),
            Map.entry(SerializationIds.RUN_VIEW, ReadProcessors.View::new),
            Map.entry(SerializationIds.RUN_EVENTS, ReadProcessors.Events::new),
            Map.entry(SerializationIds.RUN_DUE_FOR_SWEEP, DueForSweep::new),
            Map.entry(SerializationIds.CHECKPOINT_SAVE, CheckpointStore.Save::new),
            Map.entry(SerializationIds.META_RELEASE_PLANS, MetaProcessors.ReleasePlans::new),
            Map.entry(SerializationIds.META_HEADER_OF, MetaProcessors.HeaderOf::new),
            Map.entry(SerializationIds.META_RETAINED_BYTES_OF, MetaProcessors.RetainedBytesOf::new),
            Map.entry(SerializationIds.RUN_RETAINED_PLANS_OF, RetainedPlansOf::new),
            Map.entry(SerializationIds.RETAINED_BYTES, RetainedBytes::new),
            Map.entry(SerializationIds.RETAINED_RESERVE, RetainedBytesProcessors.Reserve::new),
            Map.entry(SerializationIds.RETAINED_SHRINK, RetainedBytesProcessors.Shrink::new),
            Map.entry(SerializationIds.RETAINED_RECONCILE, RetainedBytesProcessors.Reconcile::new));

    @Override
    public IdentifiedDataSerializable create(int classId) {
        Supplier<IdentifiedDataSerializable> constructor = CONSTRUCTORS.get(classId);
        if (constructor == null) {
            throw new IllegalArgumentException("unknown PhaseGrid class id " + classId);
        }
        return constructor.get();
    }
}
