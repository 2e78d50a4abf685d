package io.phasegrid.coordinator.lease;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.checkpoint.CheckpointKey;
import io.phasegrid.coordinator.checkpoint.CheckpointStore;
import io.phasegrid.coordinator.ledger.LedgerRecord;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.run.HeartbeatResult;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.UnfundedResult;
import io.phasegrid.coordinator.metrics.CoordinatorMetrics;
import io.phasegrid.coordinator.metrics.OutcomeMetrics;
import io.phasegrid.coordinator.run.store.ActiveRuns;
import io.phasegrid.coordinator.run.store.CompleteOutcome;
import io.phasegrid.coordinator.run.store.CompleteOutcomes;
import io.phasegrid.coordinator.run.store.LeaseBatch;
import io.phasegrid.coordinator.run.store.PhaseInfo;
import io.phasegrid.coordinator.run.store.PhaseReport;
import io.phasegrid.coordinator.run.store.RunMeta;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.run.store.RunSummary;
import io.phasegrid.coordinator.run.store.ShareSync;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@link WorkerGateway} over the Hazelcast maps. Any member serves any worker: the state is in the maps, the only
 * member-local state is the {@link ActiveRuns} index (rebuilt from the map at start) and caches of immutable data.
 *
 * <p>A poll walks the active runs round-robin (starting after the run served last) and per run: one lease processor
 * call (up to the slots still free; the run's own budget is enforced inside it), one ledger reservation of the
 * granted estimates in priority order with the run's {@code min_tokens_per_phase}, and for refused ones one
 * {@code returnUnfunded} call (PAUSED {@code token_budget} when the ledger granted none and nothing else of the run
 * runs, else the sequential fallback). Re-leased phases (epoch &gt; 1) get their checkpoints in one {@code getAll}.
 * With nothing to lease, the poll waits on the index's signal (woken by any run change) up to {@code waitMs}, or
 * until a retry backoff passes.
 */
public final class HazelcastWorkerGateway implements WorkerGateway, AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HazelcastWorkerGateway.class);

    /** Threads applying report batches; each works on one run at a time (calls to other partitions in parallel). */
    private static final int REPORT_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final RunStore store;
    private final CheckpointStore checkpoints;
    private final TokenLedger ledger;
    private final WorkerRegistry workers;
    private final ActiveRuns active;
    private final Clock clock;
    private final LeaseTimings timings;
    private final ReportBatcher reports;
    private final UnconfirmedFundings unconfirmed = new UnconfirmedFundings();
    private final CoordinatorMetrics metrics;
    private final OutcomeMetrics outcomeMetrics;
    private final ShareSync shareSync;

    /** Heartbeat every 10 s, the coordinator's system clock. */
    public HazelcastWorkerGateway(HazelcastInstance hazelcast) {
        this(hazelcast, Clock.systemUTC(), LeaseTimings.DEFAULT);
    }

    public HazelcastWorkerGateway(HazelcastInstance hazelcast, Clock clock, LeaseTimings timings) {
        this(hazelcast, clock, timings, CoordinatorMetrics.disabled());
    }

    public HazelcastWorkerGateway(HazelcastInstance hazelcast, Clock clock, LeaseTimings timings,
            CoordinatorMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.store = new RunStore(hazelcast);
        this.checkpoints = new CheckpointStore(hazelcast);
        this.ledger = new TokenLedger(hazelcast);
        this.outcomeMetrics = new OutcomeMetrics(metrics);
        this.shareSync = new ShareSync(store, ledger);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.workers = new WorkerRegistry(hazelcast, clock, timings);
        this.active = new ActiveRuns(store);
        this.reports = new ReportBatcher(this::applyReports, REPORT_THREADS);
    }

    @Override
    public WorkerRegistration register(String name, int slots, Map<String, String> labels) {
        return workers.register(name, slots, labels);
    }

    @Override
    public List<LeaseOffer> poll(String workerId, int freeSlots, long waitMs) throws InterruptedException {
        return poll(workerId, freeSlots, waitMs, () -> false);
    }

    @Override
    public List<LeaseOffer> poll(String workerId, int freeSlots, long waitMs, BooleanSupplier cancelled)
            throws InterruptedException {
        String workerName = workers.pollingName(workerId, freeSlots);
        long deadline = clock.millis() + Math.max(0, waitMs);
        while (true) {
            long seen = active.version(); // before the check: a wake-up in between ends the wait at once
            if (cancelled.getAsBoolean()) {
                return List.of();
            }
            long[] nextNotBefore = {Long.MAX_VALUE};
            List<LeaseOffer> offers = tryLease(workerName, freeSlots, nextNotBefore);
            long now = clock.millis();
            if (!offers.isEmpty() || now >= deadline) {
                return offers;
            }
            long wake = Math.min(deadline, nextNotBefore[0]);
            active.awaitChange(seen, Math.max(1, wake - now));
        }
    }

    private List<LeaseOffer> tryLease(String workerName, int freeSlots, long[] nextNotBefore) {
        List<LeaseOffer> offers = new ArrayList<>();
        for (String runId : active.order()) {
            int wanted = freeSlots - offers.size();
            if (wanted <= 0) {
                break;
            }
            long now = clock.millis();
            long stamp = active.stamp(runId);
            LeaseBatch batch = store.lease(runId, workerName, wanted, now, true);
            if (batch == null || batch.finished()) {
                active.finished(runId, stamp);
                unconfirmed.forget(runId);
                continue;
            }
            nextNotBefore[0] = Math.min(nextNotBefore[0], batch.nextNotBefore());
            if (batch.fellBack()) {
                metrics.fallbackToSequential();
            }
            if (batch.refusedByRunBudget() > 0 && batch.paused()) {
                metrics.pausedOnBudget();
            }
            if (batch.grants().isEmpty()) {
                if (batch.paused()) {
                    active.paused(runId);
                }
                continue;
            }
            offers.addAll(fund(runId, batch, now));
            active.served(runId);
        }
        return offers;
    }

    /**
     * Funds the grants on the ledger (idempotent per lease call) and makes offers of the funded ones. The run learns
     * which were funded (they count in its ledger share from then on) with its next batch of reports through this
     * member ({@link UnconfirmedFundings}), or at once when some were refused, which go back to READY. A member dying
     * before the run is told leaves fundings the run never confirms: each lease is settled by its own report or
     * expiry, and the next sync of the run's share that no longer lists the call drops the funding.
     */
    private List<LeaseOffer> fund(String runId, LeaseBatch batch, long now) {
        List<LeaseGrant> grants = batch.grants();
        RunMeta meta = store.meta(runId);
        long[] estimates = new long[grants.size()];
        for (int k = 0; k < estimates.length; k++) {
            estimates[k] = grants.get(k).estimatedTokens();
        }
        int granted = ledger.fund(batch.shareKey(), batch.leaseCall(), estimates,
                meta == null ? 0 : meta.minTokensPerPhase());
        if (granted == LedgerRecord.STALE_CALL) {
            return List.of(); // the leases are gone already (expired, or the run was cancelled meanwhile)
        }
        int[] funded = new int[granted];
        long[] fundedEpochs = new long[granted];
        int[] refused = new int[grants.size() - granted];
        long[] refusedEpochs = new long[refused.length];
        for (int k = 0; k < grants.size(); k++) {
            if (k < granted) {
                funded[k] = grants.get(k).phase();
                fundedEpochs[k] = grants.get(k).epoch();
            } else {
                refused[k - granted] = grants.get(k).phase();
                refusedEpochs[k - granted] = grants.get(k).epoch();
            }
        }
        unconfirmed.add(runId, funded, fundedEpochs); // told with the run's next batch of reports
        if (refused.length > 0) {
            // the refused ones go back now, and the run is told of everything funded with them
            UnconfirmedFundings.Leases toConfirm = unconfirmed.drain(runId);
            UnfundedResult unfunded = store.confirmFunding(runId, toConfirm.phases(), toConfirm.epochs(), refused,
                    refusedEpochs, granted == 0, now);
            if (unfunded != null && unfunded.fellBack()) {
                metrics.fallbackToSequential();
            }
            if (unfunded != null && unfunded.pausedNow()) {
                metrics.pausedOnBudget(); // once per pause, however many polls were refused
            }
            if (granted == 0) {
                active.paused(runId); // until it changes: PAUSED, or fallen back with nothing leasable now
            }
        }
        List<String> resumed = new ArrayList<>();
        for (int k = 0; k < granted; k++) {
            if (grants.get(k).epoch() > 1) {
                resumed.add(grants.get(k).key());
            }
        }
        Map<CheckpointKey, Checkpoint> saved = checkpoints.getAll(runId, resumed);
        List<LeaseOffer> offers = new ArrayList<>(granted);
        metrics.leaseGranted(granted);
        for (int k = 0; k < granted; k++) {
            LeaseGrant g = grants.get(k);
            metrics.readyToStarted(now - g.readyAtMs());
            PhaseInfo info = batch.phases().get(k);
            Checkpoint cp = saved.get(new CheckpointKey(runId, g.key()));
            Set<String> done = cp == null ? Set.of() : new HashSet<>(cp.completedPlans());
            List<LeaseOffer.OfferedPlan> plans = new ArrayList<>(info.planIds().size());
            for (int p = 0; p < info.planIds().size(); p++) {
                String path = info.planPaths().get(p);
                plans.add(new LeaseOffer.OfferedPlan(info.planIds().get(p), path,
                        meta == null ? new byte[0] : meta.plan(path), done.contains(info.planIds().get(p))));
            }
            offers.add(new LeaseOffer(new LeaseKey(runId, g.key(), g.epoch()), g.attempt(), info.name(),
                    g.estimatedTokens(), plans, cp == null ? new byte[0] : cp.blob(), g.deadlineMs()));
        }
        return offers;
    }

    @Override
    public void wakePolls() {
        active.signal();
    }

    @Override
    public List<LeaseStatus> heartbeat(String workerId, List<LeaseKey> leases, int slots, int busySlots) {
        long now = clock.millis();
        String known = workers.heartbeat(workerId, slots, busySlots);
        // an unknown worker holds nothing: a name no lease carries makes every answer "not held"
        String holderName = known != null ? known : "";
        Map<String, List<LeaseKey>> byRun = new LinkedHashMap<>();
        for (LeaseKey lease : leases) {
            byRun.computeIfAbsent(lease.runId(), r -> new ArrayList<>()).add(lease);
        }
        Map<LeaseKey, LeaseStatus> answers = new java.util.HashMap<>();
        for (Map.Entry<String, List<LeaseKey>> run : byRun.entrySet()) {
            List<LeaseKey> keys = run.getValue();
            String[] phaseKeys = new String[keys.size()];
            long[] epochs = new long[keys.size()];
            for (int k = 0; k < keys.size(); k++) {
                phaseKeys[k] = keys.get(k).phaseKey();
                epochs[k] = keys.get(k).epoch();
            }
            List<HeartbeatResult> results = store.heartbeat(run.getKey(), phaseKeys, epochs, now, holderName);
            int renewed = 0;
            for (int k = 0; k < keys.size(); k++) {
                HeartbeatResult r = results == null ? null : results.get(k);
                LeaseStatus status = status(keys.get(k), r);
                answers.put(keys.get(k), status);
                if (status.held() && !status.cancelled()) {
                    renewed++;
                } else if (!status.held()) {
                    metrics.staleEpochRefused();
                }
            }
            metrics.leaseRenewed(renewed);
        }
        List<LeaseStatus> out = new ArrayList<>(leases.size());
        for (LeaseKey lease : leases) {
            out.add(answers.get(lease));
        }
        return out;
    }

    /** The name a report's holder check compares with; null = no check (the coordinator's own calls). */
    private String reporterName(String workerId) {
        if (workerId == null) {
            return null;
        }
        try {
            return workers.name(workerId);
        } catch (IllegalArgumentException e) {
            throw new StaleLeaseException("unknown worker '" + workerId + "': it holds no lease");
        }
    }

    private static LeaseStatus status(LeaseKey key, HeartbeatResult r) {
        if (r == null || r.status() == HeartbeatResult.Status.NOT_HELD) {
            return new LeaseStatus(key, false, false, 0);
        }
        if (r.status() == HeartbeatResult.Status.CANCELLED) {
            return new LeaseStatus(key, true, true, 0);
        }
        return new LeaseStatus(key, true, false, r.expiresAtMs());
    }

    /**
     * Renews the lease with the run processor first (refused: {@link StaleLeaseException}), then writes the
     * checkpoint; a cancelled run's lease answers 0 and nothing is saved (the heartbeat tells the worker to stop).
     */
    @Override
    public long checkpoint(String workerId, LeaseKey lease, List<String> completedPlans, byte[] blob,
            long tokensSoFar) {
        io.phasegrid.coordinator.ledger.Tokens.requireReport("tokensSoFar", tokensSoFar);
        long now = clock.millis();
        HeartbeatResult r = store.markRunning(lease.runId(), lease.phaseKey(), lease.epoch(), now,
                reporterName(workerId));
        if (r == null) {
            throw new StaleLeaseException("no run with id '" + lease.runId() + "'");
        }
        if (r.status() == HeartbeatResult.Status.NOT_HELD) {
            metrics.staleEpochRefused();
            throw new StaleLeaseException("phase " + lease.phaseKey() + " of run " + lease.runId()
                    + ": the lease of epoch " + lease.epoch() + " is not held");
        }
        if (r.status() == HeartbeatResult.Status.CANCELLED) {
            return 0;
        }
        metrics.leaseRenewed(1);
        checkpoints.save(lease.runId(), lease.phaseKey(),
                new Checkpoint(lease.epoch(), completedPlans, blob, tokensSoFar, now));
        return r.expiresAtMs();
    }

    /**
     * Blocks for {@link #completeAsync}: the phase's state after the report.
     *
     * @throws StaleLeaseException when the lease is not held (by this worker)
     */
    @Override
    public PhaseState complete(String workerId, LeaseKey lease, Outcome outcome, long tokensUsed, String error) {
        try {
            return completeAsync(workerId, lease, outcome, tokensUsed, error).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Queues the report for the run's next batch ({@link ReportBatcher}): the run processor applies the batch, then
     * only the accepted reports touch the ledger, with one commit of their reserved estimates and actual tokens. A
     * refused report changes nothing and charges nothing; its answer fails with {@link StaleLeaseException}.
     */
    @Override
    public java.util.concurrent.CompletableFuture<PhaseState> completeAsync(String workerId, LeaseKey lease,
            Outcome outcome, long tokensUsed, String error) {
        try {
            PhaseReport report = new PhaseReport(lease.phaseKey(), lease.epoch(), outcome, tokensUsed, error,
                    reporterName(workerId));
            return reports.submit(lease.runId(), report);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Applies one batch: the run processor first, then one ledger sync of the run's share (its absolute totals at
     * the record's version), then the answers (so a worker whose report was answered sees the ledger settled). The
     * answers report the run's state, so they go out even when the sync fails: a later sync repairs the ledger.
     */
    private void applyReports(String runId, List<ReportBatcher.Pending> batch) {
        List<PhaseReport> list = new ArrayList<>(batch.size());
        batch.forEach(p -> list.add(p.report()));
        UnconfirmedFundings.Leases funded = unconfirmed.drain(runId);
        CompleteOutcomes outcomes = store.completeAll(runId, list, clock.millis(), funded.phases(), funded.epochs());
        if (outcomes == null) {
            StaleLeaseException unknown = new StaleLeaseException("no run with id '" + runId + "'");
            batch.forEach(p -> p.answer().completeExceptionally(unknown));
            return;
        }
        if (outcomes.share() != null && shareSync.sync(runId, outcomes.share(), clock.millis())) {
            resumeIfPaused(runId);
        }
        long now = clock.millis();
        for (int k = 0; k < outcomes.size(); k++) {
            CompleteOutcome o = outcomes.get(k);
            if (o.result().accepted()) {
                outcomeMetrics.reported(list.get(k).outcome(), o.result().phaseState(),
                        now - outcomes.startedAtMs(k));
                batch.get(k).answer().complete(o.result().phaseState());
            } else {
                metrics.staleEpochRefused();
                batch.get(k).answer().completeExceptionally(new StaleLeaseException(o.result().message()));
            }
        }
        outcomeMetrics.blocked(outcomes.newlyBlocked());
        if (outcomes.finishedRun()) {
            outcomeMetrics.runFinished(outcomes.runState(), outcomes.maxParallelism());
        }
    }

    /**
     * After a sync with a limited budget. A poll woken by this batch can run between the run's Complete and the sync,
     * find the ledger still holding these reservations and pause the run although the budget carries it: with the
     * reservations settled, a run paused meanwhile gets to try again (a read, plus a resume when paused). Best
     * effort: the next top-up or change resumes it otherwise.
     */
    private void resumeIfPaused(String runId) {
        try {
            RunSummary after = store.view(runId, false);
            if (after != null && after.state() == RunState.PAUSED) {
                store.resume(runId, clock.millis());
                active.changed(runId);
            }
        } catch (RuntimeException e) {
            LOG.warn("run {}: could not check for a budget pause after a ledger sync", runId, e);
        }
    }

    /**
     * After a ledger top-up (or a budget raised): resumes every PAUSED run and clears sequential fallbacks, then
     * wakes the polls. One call per active run.
     */
    public void resumePaused() {
        long now = clock.millis();
        for (String runId : active.all()) {
            store.resume(runId, now);
            active.changed(runId);
        }
    }

    @Override
    public void close() {
        reports.close();
        active.close();
    }
}
