package io.phasegrid.coordinator.lease;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.checkpoint.CheckpointRepository;
import io.phasegrid.coordinator.checkpoint.CheckpointStore;
import io.phasegrid.coordinator.hazelcast.KeyedEntries;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.ledger.Tokens;
import io.phasegrid.coordinator.metrics.CoordinatorMetrics;
import io.phasegrid.coordinator.metrics.OutcomeMetrics;
import io.phasegrid.coordinator.run.CompleteResult;
import io.phasegrid.coordinator.run.GitReport;
import io.phasegrid.coordinator.run.HeartbeatResult;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.store.ActiveRuns;
import io.phasegrid.coordinator.run.store.CompleteOutcome;
import io.phasegrid.coordinator.run.store.CompleteOutcomes;
import io.phasegrid.coordinator.run.store.LeaseRuns;
import io.phasegrid.coordinator.run.store.PhaseReport;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.run.store.RunSummary;
import io.phasegrid.coordinator.run.store.ShareSync;
import io.phasegrid.coordinator.submit.ClientText;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WorkerGateway} over the Hazelcast maps (or any {@link LeaseRuns}, {@link CheckpointRepository} and worker
 * records' {@link KeyedEntries}: a test's in-memory stores). Any member serves any worker: the state is in the maps,
 * the only member-local state is the {@link ActiveRuns} index (rebuilt from the map at start) and caches of immutable
 * data.
 *
 * <p>A poll is a {@link LeasePoll}, funded by a {@link LeaseFunder}; reports are group-committed per run by a
 * {@link ReportBatcher}, each batch one run processor call, one ledger sync ({@link ShareSync}) and the outcome
 * metrics ({@link OutcomeMetrics}).
 */
public final class HazelcastWorkerGateway implements WorkerGateway, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastWorkerGateway.class);

    /** Threads applying report batches; each works on one run at a time (calls to other partitions in parallel). */
    private static final int REPORT_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final LeaseRuns store;
    private final CheckpointRepository checkpoints;
    private final TokenLedger ledger;
    private final WorkerRegistry workers;
    private final ActiveRuns active;
    private final Clock clock;
    private final LeaseTimings timings;
    private final ReportBatcher reports;
    private final LeaseFunder funder;
    private final LeasePoll leasePoll;
    private final CoordinatorMetrics metrics;
    private final OutcomeMetrics outcomeMetrics;
    private final ShareSync shareSync;
    private final GitRuns gitRuns;

    /** Heartbeat every 10 s, the coordinator's system clock. */
    public HazelcastWorkerGateway(HazelcastInstance hazelcast) {
        this(hazelcast, Clock.systemUTC(), LeaseTimings.DEFAULT);
    }

    public HazelcastWorkerGateway(HazelcastInstance hazelcast, Clock clock, LeaseTimings timings) {
        this(hazelcast, clock, timings, CoordinatorMetrics.disabled());
    }

    public HazelcastWorkerGateway(HazelcastInstance hazelcast, Clock clock, LeaseTimings timings,
            CoordinatorMetrics metrics) {
        this(new RunStore(hazelcast), new CheckpointStore(hazelcast), new TokenLedger(hazelcast),
                KeyedEntries.of(hazelcast.getMap(MapNames.WORKERS)), clock, timings, metrics);
    }

    /** Over the given stores (a test's in-memory ones); the gateway listens to the runs until {@link #close}. */
    HazelcastWorkerGateway(LeaseRuns runs, CheckpointRepository checkpoints, TokenLedger ledger,
            KeyedEntries<WorkerRecord> workers, Clock clock, LeaseTimings timings, CoordinatorMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.store = Objects.requireNonNull(runs, "runs");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.outcomeMetrics = new OutcomeMetrics(metrics);
        this.shareSync = new ShareSync(store, ledger);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.workers = new WorkerRegistry(workers, clock, timings);
        this.active = new ActiveRuns(store);
        this.gitRuns = new GitRuns(store);
        this.reports = new ReportBatcher(this::applyReports, REPORT_THREADS);
        this.funder = new LeaseFunder(store, ledger, active, metrics);
        this.leasePoll = new LeasePoll(store, checkpoints, funder, active, clock, metrics);
    }

    @Override
    public WorkerRegistration register(String principal, String name, int slots, Map<String, String> labels) {
        return workers.register(principal, name, slots, labels);
    }

    @Override
    public void requireOwner(String workerId, String principal) {
        workers.requireOwner(workerId, principal);
    }

    @Override
    public List<LeaseOffer> poll(String workerId, int freeSlots, long waitMs) throws InterruptedException {
        return poll(workerId, freeSlots, waitMs, () -> false);
    }

    @Override
    public List<LeaseOffer> poll(String workerId, int freeSlots, long waitMs, BooleanSupplier cancelled)
            throws InterruptedException {
        return leasePoll.poll(workers.pollingName(workerId, freeSlots), freeSlots, waitMs, cancelled);
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
        Map<LeaseKey, LeaseStatus> answers = new HashMap<>();
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
            throw new StaleLeaseException("unknown worker '" + ClientText.quoteForWorker(workerId)
                    + "': it holds no lease");
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
     * The commit must fit the run: required on a git lease, refused on a plain one.
     */
    @Override
    public long checkpoint(String workerId, LeaseKey lease, List<String> completedPlans, byte[] blob,
            long tokensSoFar, String commit) {
        Tokens.requireReport("tokensSoFar", tokensSoFar);
        String gitCommit = commit == null ? "" : commit;
        long now = clock.millis();
        HeartbeatResult r = store.markRunning(lease.runId(), lease.phaseKey(), lease.epoch(), now,
                reporterName(workerId));
        if (r == null) {
            throw new StaleLeaseException("no run with id '" + ClientText.quoteForWorker(lease.runId()) + "'");
        }
        if (r.status() == HeartbeatResult.Status.NOT_HELD) {
            metrics.staleEpochRefused();
            throw new StaleLeaseException("phase " + ClientText.quoteForWorker(lease.phaseKey()) + " of run "
                    + ClientText.quoteForWorker(lease.runId()) + ": the lease of epoch " + lease.epoch()
                    + " is not held");
        }
        if (r.status() == HeartbeatResult.Status.CANCELLED) {
            return 0;
        }
        metrics.leaseRenewed(1);
        boolean git = gitRuns.isGit(lease.runId());
        if (git && gitCommit.isEmpty()) {
            throw new IllegalArgumentException("commit is required on a git lease (the commit of the completed "
                    + "plans, pushed to LeaseGit.checkpoint_ref)");
        }
        if (!git && !gitCommit.isEmpty()) {
            throw new IllegalArgumentException("commit must be empty: run '" + ClientText.quoteForWorker(lease.runId())
                    + "' is not a git run");
        }
        checkpoints.save(lease.runId(), lease.phaseKey(),
                new Checkpoint(lease.epoch(), completedPlans, blob, tokensSoFar, now, gitCommit));
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
        } catch (CompletionException e) {
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
    public CompletableFuture<PhaseState> completeAsync(String workerId, LeaseKey lease,
            Outcome outcome, long tokensUsed, String error, GitReport git) {
        try {
            PhaseReport report = new PhaseReport(lease.phaseKey(), lease.epoch(), outcome, tokensUsed, error,
                    reporterName(workerId), git);
            return reports.submit(lease.runId(), report);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
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
        UnconfirmedFundings.Leases funded = funder.takeUnconfirmed(runId);
        CompleteOutcomes outcomes = store.completeAll(runId, list, clock.millis(), funded.phases(), funded.epochs());
        if (outcomes == null) {
            StaleLeaseException unknown = new StaleLeaseException("no run with id '"
                    + ClientText.quoteForWorker(runId) + "'");
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
            } else if (o.result().refusal() == CompleteResult.Refusal.INVALID_REPORT) {
                batch.get(k).answer().completeExceptionally(new IllegalArgumentException(o.result().message()));
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
