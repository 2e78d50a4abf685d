package io.phasegrid.coordinator.run.store;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.run.CancelResult;
import io.phasegrid.coordinator.run.EventPage;
import io.phasegrid.coordinator.run.HeartbeatResult;
import io.phasegrid.coordinator.run.LeaseRef;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.RetryResult;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.UnfundedResult;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs in Hazelcast: {@code phasegrid.runs} (run id -> {@link RunRecord}) and {@code phasegrid.runmeta} (run id
 * -> {@link RunMeta}, the same key so the same partition). Every change is one {@link RunProcessor} call; methods
 * answer {@code null} for an unknown run. {@code now} is the caller's clock (the coordinator's), passed into the
 * processor so the backup replica computes the same state.
 */
public final class RunStore implements LeaseRuns {

    private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);

    /** Headers are a key and a number: a count bound is a byte bound. */
    private static final int HEADER_CACHE_SIZE = 4096;

    private final IMap<String, RunRecord> runs;
    private final IMap<String, RunMeta> metas;
    private final MetaCache metaCache;
    private final RetainedSubmissions retained;
    private final Map<String, RunMeta> headers = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunMeta> eldest) {
            return size() > HEADER_CACHE_SIZE;
        }
    };

    public RunStore(HazelcastInstance hazelcast) {
        this.runs = hazelcast.getMap(MapNames.RUNS);
        this.metas = hazelcast.getMap(MapNames.RUN_META);
        this.metaCache = MetaCache.of(hazelcast, metas);
        this.retained = new RetainedSubmissions(hazelcast);
    }

    public IMap<String, RunRecord> runs() {
        return runs;
    }

    /** The cluster's account of retained plan contents. */
    public RetainedSubmissions retained() {
        return retained;
    }

    /** {@link #create(RunRecord, RunMeta, long, long)} without a cap. */
    public boolean create(RunRecord record, RunMeta meta) {
        return create(record, meta, Long.MAX_VALUE, record.createdAtMs());
    }

    /**
     * Stores a new run and its metadata (metadata first, so a run visible to pollers always has it), after reserving
     * its plan contents' bytes against {@code maxRetainedBytes} ({@link RetainedSubmissions}).
     *
     * @throws RetainedBytesExceeded when the cluster's retained contents would pass the cap; nothing is stored
     */
    @Override
    public boolean create(RunRecord record, RunMeta meta, long maxRetainedBytes, long now) {
        String runId = record.runId();
        long bytes = meta.retainedBytes();
        if (bytes > 0) {
            RetainedBytesProcessors.Admission admission = retained.reserve(runId, bytes, maxRetainedBytes, now);
            if (!admission.accepted()) {
                throw new RetainedBytesExceeded(bytes, admission.heldBefore(), maxRetainedBytes);
            }
        }
        boolean kept = false;
        try {
            if (metas.putIfAbsent(runId, meta) != null) {
                return false; // the id is taken (ids carry 41 random bits): that run's metadata stays as it was
            }
            if (runs.putIfAbsent(runId, record) != null) {
                metas.delete(runId); // ours: the putIfAbsent above found none
                return false;
            }
            kept = true;
            return true;
        } catch (RuntimeException e) {
            bestEffort(runId, "remove the metadata of a failed submission", () -> metas.delete(runId));
            throw e;
        } finally {
            if (!kept && bytes > 0) {
                bestEffort(runId, "release the bytes of a failed submission", () -> retained.shrink(runId, 0));
            }
        }
    }

    /** An undo after a failed create; what it cannot do, the retained-bytes reconcile repairs later. */
    private static void bestEffort(String runId, String what, Runnable undo) {
        try {
            undo.run();
        } catch (RuntimeException e) {
            LOG.warn("run {}: could not {}: {}", runId, what, e.toString());
        }
    }

    /**
     * The run's metadata with its plan contents (lease offers), from the member's {@link MetaCache}, else the map.
     */
    @Override
    public RunMeta meta(String runId) {
        RunMeta cached = metaCache.get(runId);
        if (cached != null) {
            return cached;
        }
        long generation = metaCache.generation();
        RunMeta meta = metas.get(runId);
        if (meta != null) {
            metaCache.put(runId, meta, generation);
        }
        return meta;
    }

    /**
     * The run's idempotency key and minimum without plan contents (status, list, watch): read on the entry's owner,
     * never shipping contents, and cached here (neither value changes).
     */
    @Override
    public RunMeta header(String runId) {
        synchronized (headers) {
            RunMeta cached = headers.get(runId);
            if (cached != null) {
                return cached;
            }
        }
        RunMeta header = metas.executeOnKey(runId, new MetaProcessors.HeaderOf());
        if (header != null) {
            synchronized (headers) {
                headers.put(runId, header);
            }
        }
        return header;
    }

    /**
     * A finished run drops the plan contents no retry can lease again ({@link RetainedPlansOf},
     * {@link MetaProcessors.ReleasePlans}) and the account is lowered to what it still holds. Idempotent; answers the
     * bytes still held, or -1 when the run is not finished or unknown (nothing changed).
     */
    public long releasePlans(String runId) {
        String[] keep = runs.executeOnKey(runId, new RetainedPlansOf());
        if (keep == null) {
            return -1;
        }
        long held = metas.executeOnKey(runId, new MetaProcessors.ReleasePlans(java.util.Set.of(keep)));
        retained.shrink(runId, held);
        return held;
    }

    public LeaseBatch lease(String runId, String workerId, int maxPhases, long now) {
        return lease(runId, workerId, maxPhases, now, false);
    }

    @Override
    public LeaseBatch lease(String runId, String workerId, int maxPhases, long now, boolean awaitFunding) {
        return runs.executeOnKey(runId, new LeaseProcessors.Lease(workerId, maxPhases, now, awaitFunding));
    }

    @Override
    public UnfundedResult confirmFunding(String runId, int[] funded, long[] fundedEpochs, int[] refused,
            long[] refusedEpochs, boolean firstRefused, long now) {
        return runs.executeOnKey(runId, new LeaseProcessors.ConfirmFunding(funded, fundedEpochs, refused,
                refusedEpochs, firstRefused, now));
    }

    @Override
    public Boolean setBudget(String runId, long budgetTokens, long now) {
        return runs.executeOnKey(runId, new SetRunBudget(budgetTokens, now));
    }

    /** Listens to the run's key without values: one small event per stored change. */
    @Override
    public Subscription listen(String runId, RunListener listener) {
        UUID id = runs.addEntryListener(new KeyListener(listener), runId, false);
        return () -> runs.removeEntryListener(id);
    }

    /** Listens to every run without values (the {@link ActiveRuns} index): one small event per stored change. */
    @Override
    public Subscription listenAll(RunsListener listener) {
        UUID id = runs.addEntryListener(new AllRunsListener(listener), false);
        return () -> runs.removeEntryListener(id);
    }

    private record AllRunsListener(RunsListener listener) implements EntryAddedListener<String, RunRecord>,
            EntryUpdatedListener<String, RunRecord>, EntryRemovedListener<String, RunRecord> {
        @Override
        public void entryAdded(EntryEvent<String, RunRecord> event) {
            listener.changed(event.getKey());
        }

        @Override
        public void entryUpdated(EntryEvent<String, RunRecord> event) {
            listener.changed(event.getKey());
        }

        @Override
        public void entryRemoved(EntryEvent<String, RunRecord> event) {
            listener.removed(event.getKey());
        }
    }

    private record KeyListener(RunListener listener)
            implements EntryUpdatedListener<String, RunRecord>, EntryRemovedListener<String, RunRecord> {
        @Override
        public void entryUpdated(EntryEvent<String, RunRecord> event) {
            listener.updated();
        }

        @Override
        public void entryRemoved(EntryEvent<String, RunRecord> event) {
            listener.removed();
        }
    }

    @Override
    public Boolean resume(String runId, long now) {
        return runs.executeOnKey(runId, new ControlProcessors.Resume(now));
    }

    @Override
    public List<HeartbeatResult> heartbeat(String runId, String[] keys, long[] epochs, long now, String worker) {
        return runs.executeOnKey(runId, new LeaseProcessors.Heartbeat(keys, epochs, now, worker));
    }

    /** Applies several reports of one run in one processor call (see {@link ReportProcessors.Complete}). */
    public CompleteOutcomes completeAll(String runId, List<PhaseReport> reports, long now) {
        return runs.executeOnKey(runId, new ReportProcessors.Complete(reports, now));
    }

    /** {@link #completeAll}, confirming funded leases first (phase indexes with their epochs). */
    @Override
    public CompleteOutcomes completeAll(String runId, List<PhaseReport> reports, long now, int[] confirmPhases,
            long[] confirmEpochs) {
        return runs.executeOnKey(runId, new ReportProcessors.Complete(reports, now, confirmPhases, confirmEpochs));
    }

    /** One report: {@link #completeAll} of one. @param worker the worker's name; null = unchecked */
    public CompleteOutcome complete(String runId, String key, long epoch, Outcome outcome, long tokens, String error,
            long now, String worker) {
        CompleteOutcomes all = completeAll(runId, List.of(new PhaseReport(key, epoch, outcome, tokens, error, worker)),
                now);
        return all == null ? null : all.get(0);
    }

    public List<LeaseRef> expire(String runId, long now) {
        return runs.executeOnKey(runId, new ReportProcessors.Expire(now));
    }

    @Override
    public CancelResult cancel(String runId, long now) {
        return runs.executeOnKey(runId, new ControlProcessors.Cancel(now));
    }

    public RetryResult retry(String runId, long now) {
        return retry(runId, java.util.Map.of(), now);
    }

    /** @param resolutions git runs: phase key -> the commit its next attempt starts at */
    @Override
    public RetryResult retry(String runId, java.util.Map<String, String> resolutions, long now) {
        return runs.executeOnKey(runId, new ControlProcessors.Retry(now, resolutions));
    }

    @Override
    public RunSummary view(String runId, boolean withPhases) {
        SummaryData data = runs.executeOnKey(runId, new ReadProcessors.View(withPhases));
        return data == null ? null : data.summary();
    }

    /** The run's share on the cluster ledger as stored now; null for an unknown run. */
    @Override
    public io.phasegrid.coordinator.ledger.LedgerShare ledgerShare(String runId) {
        return runs.executeOnKey(runId, new ReadProcessors.LedgerShareOf());
    }

    /** The ledger shares of these runs (unknown ones left out). */
    public java.util.Collection<io.phasegrid.coordinator.ledger.LedgerShare> ledgerShares(
            java.util.Set<String> runIds) {
        return runs.executeOnKeys(runIds, new ReadProcessors.LedgerShareOf()).values().stream()
                .filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public EventPage eventsSince(String runId, long sequence) {
        return runs.executeOnKey(runId, new ReadProcessors.Events(sequence));
    }

    /** Every run without phases (read-only, one call to every partition). */
    @Override
    public Map<String, RunSummary> summaries() {
        Map<String, SummaryData> data = runs.executeOnEntries(new ReadProcessors.View(false));
        Map<String, RunSummary> out = new HashMap<>(data.size() * 2);
        data.forEach((runId, d) -> {
            if (d != null) {
                out.put(runId, d.summary());
            }
        });
        return out;
    }

    /** Whether each stored run of {@code runIds} is finished, in one call for all of them. */
    @Override
    public Map<String, Boolean> finishedOf(java.util.Set<String> runIds) {
        return runs.executeOnKeys(runIds, new IsFinished());
    }
}
