package io.phasegrid.coordinator.testing;

import com.hazelcast.map.EntryProcessor;
import io.phasegrid.coordinator.ledger.LedgerShare;
import io.phasegrid.coordinator.run.CancelResult;
import io.phasegrid.coordinator.run.EventPage;
import io.phasegrid.coordinator.run.HeartbeatResult;
import io.phasegrid.coordinator.run.RetryResult;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.UnfundedResult;
import io.phasegrid.coordinator.run.store.CompleteOutcomes;
import io.phasegrid.coordinator.run.store.ControlProcessors;
import io.phasegrid.coordinator.run.store.LeaseBatch;
import io.phasegrid.coordinator.run.store.LeaseProcessors;
import io.phasegrid.coordinator.run.store.LeaseRuns;
import io.phasegrid.coordinator.run.store.MetaProcessors;
import io.phasegrid.coordinator.run.store.PhaseReport;
import io.phasegrid.coordinator.run.store.ReadProcessors;
import io.phasegrid.coordinator.run.store.ReportProcessors;
import io.phasegrid.coordinator.run.store.RetainedBytesExceeded;
import io.phasegrid.coordinator.run.store.RunMeta;
import io.phasegrid.coordinator.run.store.RunSummary;
import io.phasegrid.coordinator.run.store.SetRunBudget;
import io.phasegrid.coordinator.run.store.SummaryData;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link LeaseRuns} (the run service's {@code RunRepository} and the gateway's side) in memory: the runs and their metadata in {@link InMemoryEntries}, every change the
 * production run processor applied to a plain entry, and the retained plan bytes counted against the cap as
 * {@code RunStore} counts them. A test drives the runs further with {@link #execute} (leases, reports).
 */
public final class InMemoryRuns implements LeaseRuns {

    private final InMemoryEntries<RunRecord> runs = new InMemoryEntries<>();
    private final InMemoryEntries<RunMeta> metas = new InMemoryEntries<>();
    private long retainedBytes;

    /** Applies any run processor to the run, as {@code RunStore} does through the map. */
    public <R> R execute(String runId, EntryProcessor<String, RunRecord, R> processor) {
        return runs.execute(runId, processor);
    }

    /** The plan bytes the stored runs hold. */
    public synchronized long retainedBytes() {
        return retainedBytes;
    }

    /** Metadata first, then the run, as {@code RunStore.create}. */
    @Override
    public boolean create(RunRecord record, RunMeta meta, long maxRetainedBytes, long now) {
        long bytes = meta.retainedBytes();
        synchronized (this) {
            if (bytes > 0 && bytes > maxRetainedBytes - retainedBytes) {
                throw new RetainedBytesExceeded(bytes, retainedBytes, maxRetainedBytes);
            }
            if (!metas.putIfAbsent(record.runId(), meta)) {
                return false;
            }
            if (!runs.putIfAbsent(record.runId(), record)) {
                metas.remove(record.runId());
                return false;
            }
            retainedBytes += bytes;
            return true;
        }
    }

    @Override
    public RunSummary view(String runId, boolean withPhases) {
        SummaryData data = runs.execute(runId, new ReadProcessors.View(withPhases));
        return data == null ? null : data.summary();
    }

    @Override
    public Map<String, RunSummary> summaries() {
        Map<String, RunSummary> out = new HashMap<>();
        for (String runId : runs.snapshot().keySet()) {
            RunSummary summary = view(runId, false);
            if (summary != null) {
                out.put(runId, summary);
            }
        }
        return out;
    }

    @Override
    public RunMeta header(String runId) {
        return metas.execute(runId, new MetaProcessors.HeaderOf());
    }

    @Override
    public CancelResult cancel(String runId, long now) {
        return runs.execute(runId, new ControlProcessors.Cancel(now));
    }

    @Override
    public RetryResult retry(String runId, Map<String, String> resolutions, long now) {
        return runs.execute(runId, new ControlProcessors.Retry(now, resolutions));
    }

    @Override
    public Boolean setBudget(String runId, long budgetTokens, long now) {
        return runs.execute(runId, new SetRunBudget(budgetTokens, now));
    }

    @Override
    public LedgerShare ledgerShare(String runId) {
        return runs.execute(runId, new ReadProcessors.LedgerShareOf());
    }

    @Override
    public EventPage eventsSince(String runId, long sequence) {
        return runs.execute(runId, new ReadProcessors.Events(sequence));
    }

    @Override
    public Map<String, Boolean> finishedOf(Set<String> runIds) {
        Map<String, Boolean> finished = new HashMap<>();
        for (String runId : runIds) {
            RunRecord run = runs.get(runId);
            if (run != null) {
                finished.put(runId, run.state().isFinished());
            }
        }
        return finished;
    }

    @Override
    public Subscription listen(String runId, RunListener listener) {
        Runnable stop = runs.listen(runId, removed -> {
            if (removed) {
                listener.removed();
            } else {
                listener.updated();
            }
        });
        return stop::run;
    }

    @Override
    public LeaseBatch lease(String runId, String workerName, int maxPhases, long now, boolean awaitFunding) {
        return runs.execute(runId, new LeaseProcessors.Lease(workerName, maxPhases, now, awaitFunding));
    }

    @Override
    public UnfundedResult confirmFunding(String runId, int[] funded, long[] fundedEpochs, int[] refused,
            long[] refusedEpochs, boolean firstRefused, long now) {
        return runs.execute(runId, new LeaseProcessors.ConfirmFunding(funded, fundedEpochs, refused, refusedEpochs,
                firstRefused, now));
    }

    @Override
    public RunMeta meta(String runId) {
        return metas.get(runId);
    }

    @Override
    public List<HeartbeatResult> heartbeat(String runId, String[] keys, long[] epochs, long now, String worker) {
        return runs.execute(runId, new LeaseProcessors.Heartbeat(keys, epochs, now, worker));
    }

    @Override
    public CompleteOutcomes completeAll(String runId, List<PhaseReport> reports, long now, int[] confirmPhases,
            long[] confirmEpochs) {
        return runs.execute(runId, new ReportProcessors.Complete(reports, now, confirmPhases, confirmEpochs));
    }

    @Override
    public Boolean resume(String runId, long now) {
        return runs.execute(runId, new ControlProcessors.Resume(now));
    }

    @Override
    public Subscription listenAll(RunsListener listener) {
        Runnable stop = runs.listenAll((runId, removed) -> {
            if (removed) {
                listener.removed(runId);
            } else {
                listener.changed(runId);
            }
        });
        return stop::run;
    }
}
