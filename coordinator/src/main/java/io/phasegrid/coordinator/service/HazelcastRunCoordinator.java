package io.phasegrid.coordinator.service;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.ledger.LedgerShare;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.metrics.CoordinatorMetrics;
import io.phasegrid.coordinator.metrics.OutcomeMetrics;
import io.phasegrid.coordinator.quota.RunQuotas;
import io.phasegrid.coordinator.run.CancelResult;
import io.phasegrid.coordinator.run.RetryResult;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.store.RetainedBytesExceeded;
import io.phasegrid.coordinator.run.store.RunMeta;
import io.phasegrid.coordinator.run.store.RunRepository;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.run.store.RunSummary;
import io.phasegrid.coordinator.run.store.SetRunBudget;
import io.phasegrid.coordinator.run.store.ShareSync;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import io.phasegrid.coordinator.submit.SubmissionRejected.Reason;
import io.phasegrid.coordinator.submit.SubmissionRejected;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RunCoordinator} over the run store, the idempotency keys and the ledger it is given (the Hazelcast maps on a
 * member, so any member serves any call; in memory in a unit test).
 *
 * <p>Submission: compiled first ({@link SubmissionCompiler}: nothing is claimed or stored for a refused one). With
 * an idempotency key, {@link IdempotencyKeys} decides the winner before anything is stored; a loser answers the
 * winner's run (waiting briefly for the winner to store it), and a submission that fails to store gives its key
 * back. The run's metadata (key, min tokens per phase, PLAN contents) goes to {@code phasegrid.runmeta}, then the
 * record to {@code phasegrid.runs}.
 *
 * <p>Watch: a listener on the run's key without values ({@link RunRepository#listen}); each update triggers a
 * read-only {@code eventsSince(last)} call on a watch thread, so events are delivered in order, exactly once, with
 * coalesced wake-ups.
 */
public final class HazelcastRunCoordinator implements RunCoordinator, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastRunCoordinator.class);


    /** How long a duplicate submission waits for the winner of its idempotency key to store the run. */
    static final long DUPLICATE_WAIT_MS = 10_000;

    private final OutcomeMetrics outcomes;
    private final RunRepository store;
    private final IdempotencyKeys keys;
    private final RunQuotas quotas;
    private final TokenLedger ledger;
    private final ShareSync shareSync;
    private final SubmissionCompiler compiler;
    private final Clock clock;
    private final ExecutorService watchers;
    private final long maxRetainedBytes;

    public HazelcastRunCoordinator(HazelcastInstance hazelcast) {
        this(hazelcast, SubmissionLimits.defaults(), Clock.systemUTC(), RunSettings.DEFAULT_LEASE_TTL_MS);
    }

    public HazelcastRunCoordinator(HazelcastInstance hazelcast, SubmissionLimits limits, Clock clock) {
        this(hazelcast, limits, clock, RunSettings.DEFAULT_LEASE_TTL_MS);
    }

    /** @param leaseTtlMs the coordinator's lease TTL, given to every run it starts */
    public HazelcastRunCoordinator(HazelcastInstance hazelcast, SubmissionLimits limits, Clock clock,
            long leaseTtlMs) {
        this(hazelcast, limits, clock, leaseTtlMs, CoordinatorMetrics.disabled());
    }

    public HazelcastRunCoordinator(HazelcastInstance hazelcast, SubmissionLimits limits, Clock clock,
            long leaseTtlMs, CoordinatorMetrics metrics) {
        this(new RunStore(hazelcast), hazelcast, limits, clock, leaseTtlMs, metrics);
    }

    private HazelcastRunCoordinator(RunStore store, HazelcastInstance hazelcast, SubmissionLimits limits,
            Clock clock, long leaseTtlMs, CoordinatorMetrics metrics) {
        this(store, new IdempotencyKeys(hazelcast), new RunQuotas(hazelcast, limits.quotas(), store::finishedOf),
                new TokenLedger(hazelcast), limits, clock, leaseTtlMs, metrics);
    }

    /**
     * Over the given stores: the runs, the idempotency keys, the principals' quotas and the ledger (in memory in a
     * unit test).
     */
    HazelcastRunCoordinator(RunRepository store, IdempotencyKeys keys, RunQuotas quotas, TokenLedger ledger,
            SubmissionLimits limits, Clock clock, long leaseTtlMs, CoordinatorMetrics metrics) {
        this.outcomes = new OutcomeMetrics(metrics);
        this.store = store;
        this.keys = keys;
        this.quotas = quotas;
        this.ledger = ledger;
        this.shareSync = new ShareSync(store, ledger);
        this.compiler = new SubmissionCompiler(limits, leaseTtlMs);
        this.maxRetainedBytes = limits.maxRetainedBytes();
        this.clock = clock;
        this.watchers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "phasegrid-run-watch");
            t.setDaemon(true);
            return t;
        });
    }

    // ------------------------------------------------------------------------------------------------ submit

    @Override
    public SubmitResult submit(Submission submission) {
        SubmissionCompiler.Compiled compiled = compiler.compile(submission);
        String runId = RunIds.next(clock.millis());
        String shownKey = submission.idempotencyKey() == null ? "" : submission.idempotencyKey();
        // keys are the principal's own: another principal's same key is another run, and never reveals that one
        String key = RunMeta.storedKey(submission.owner(), shownKey);
        String existing = keys.claim(key, runId);
        if (existing != null) {
            return new SubmitResult(existing, false, awaitRun(existing), compiled.warnings());
        }
        RunRecord record = RunRecord.create(runId, compiled.name(), compiled.blueprint(), clock.millis());
        RunMeta meta = new RunMeta(submission.owner(), shownKey, compiled.minTokensPerPhase(), compiled.plans());
        try {
            quotas.admit(submission.owner(), runId, meta.retainedBytes());
        } catch (RuntimeException e) { // over the quota, or the member is leaving: the key is free again
            keys.release(key, runId);
            throw e;
        }
        boolean created;
        try { // the cap on retained submission bytes (RetainedSubmissions); a refusal frees the key and the quota
            created = store.create(record, meta, maxRetainedBytes, clock.millis());
        } catch (RetainedBytesExceeded e) {
            giveBack(submission.owner(), key, runId);
            throw new SubmissionRejected(Reason.TOO_LARGE, e.getMessage());
        } catch (RuntimeException e) { // e.g. the member is leaving (UNAVAILABLE): the client retries with its key
            giveBack(submission.owner(), key, runId);
            throw e;
        }
        if (!created) {
            giveBack(submission.owner(), key, runId);
            throw new IllegalStateException("run id " + runId + " is taken"); // ids carry 41 random bits
        }
        // the run as stored, from our own copy: reading a 10,000-phase run back costs more than its first leases
        return new SubmitResult(runId, true, toView(RunSummary.of(record, true)), compiled.warnings());
    }

    /** A refused retry gives back the quota share it took, unless the run was counted before it. */
    private void uncount(RunMeta header, boolean counted, String runId) {
        if (header != null && !counted) {
            quotas.release(header.owner(), runId);
        }
    }

    private void giveBack(String owner, String key, String runId) {
        keys.release(key, runId);
        try {
            quotas.release(owner, runId);
        } catch (RuntimeException e) { // the next admission drops it anyway: the run was never stored
            LOG.warn("run {}: could not give back its quota share: {}", runId, e.toString());
        }
    }

    private RunView awaitRun(String runId) {
        long until = System.nanoTime() + DUPLICATE_WAIT_MS * 1_000_000L;
        while (true) {
            RunSummary s = store.view(runId, true);
            if (s != null) {
                return toView(s);
            }
            if (System.nanoTime() - until > 0) {
                throw new IllegalStateException("the run " + runId + " of this idempotency key was not stored");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for run " + runId, e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    @Override
    public RunView get(String runId) {
        RunSummary s = runId == null ? null : store.view(runId, true);
        if (s == null) {
            throw new RunNotFoundException(runId);
        }
        return toView(s);
    }

    /** The first page of {@link #page}: {@code limit} runs, 0 = the largest page ({@link RunPager#MAX_PAGE_SIZE}). */
    @Override
    public List<RunView> list(Set<RunState> states, int limit) {
        return page(states, limit > 0 ? limit : RunPager.MAX_PAGE_SIZE, "").runs();
    }

    /**
     * Reads every run's summary without phases (one read-only processor call per partition), then sorts and cuts
     * the page ({@link RunPager}): O(runs) per page, an answer of at most one page.
     */
    @Override
    public RunPage page(Set<RunState> states, int pageSize, String pageToken) {
        return page(states, pageSize, pageToken, null);
    }

    @Override
    public RunPage page(Set<RunState> states, int pageSize, String pageToken, String owner) {
        Collection<RunSummary> all = store.summaries().values();
        if (owner != null) {
            all = all.stream().filter(s -> s != null && owner.equals(ownerOf(s.runId()))).toList();
        }
        return RunPager.page(all, states, pageSize, pageToken, this::toView);
    }

    @Override
    public String owner(String runId) {
        String owner = runId == null ? null : ownerOf(runId);
        if (owner == null) {
            throw new RunNotFoundException(runId);
        }
        return owner;
    }

    private String ownerOf(String runId) {
        RunMeta meta = store.header(runId);
        return meta == null ? null : meta.owner();
    }

    private RunView toView(RunSummary s) {
        RunMeta meta = store.header(s.runId());
        return new RunView(s.runId(), s.name(), meta == null ? "" : meta.idempotencyKey(), s.state(),
                s.pauseReason(), s.createdAtMs(), s.startedAtMs(), s.finishedAtMs(), s.phases(),
                s.settings().budgetTokens(), s.tokensReserved(), s.tokensUsed(), s.maxParallelism(), s.fallbacks(),
                s.settings(), meta == null ? 0 : meta.minTokensPerPhase(), s.git(),
                meta == null ? Submission.LOCAL_OWNER : meta.owner());
    }

    // ------------------------------------------------------------------------------------------------ commands

    /** Revoked leases' reservations are released: the run's share on the ledger is synced. */
    @Override
    public RunView cancel(String runId) {
        CancelResult result = runId == null ? null : store.cancel(runId, clock.millis());
        if (result == null) {
            throw new RunNotFoundException(runId);
        }
        if (result.changed()) {
            shareSync.syncStored(runId, clock.millis()); // best effort: the sweeper syncs every run periodically
        }
        RunView view = get(runId);
        if (result.changed()) {
            outcomes.cancelled(result.cancelledPhases(), view.maxParallelism());
        }
        return view;
    }

    /**
     * The finished incarnation's share is synced first, and a failure stops the retry (the retried run charges a new
     * share, and nothing syncs the old one afterwards).
     */
    @Override
    public RunView retry(String runId) {
        return retry(runId, Map.of());
    }

    /** As {@link #retry(String)}; a resolution naming no FAILED phase of a git run is IllegalArgumentException. */
    @Override
    public RunView retry(String runId, Map<String, String> resolutions) {
        LedgerShare last = runId == null ? null : store.ledgerShare(runId);
        if (last != null) {
            ledger.sync(last, clock.millis());
        }
        RunMeta header = runId == null ? null : store.header(runId);
        boolean counted = header != null && quotas.usage(header.owner()).runs().containsKey(runId);
        if (header != null) { // a retried run is in flight again: it counts against its owner's quota
            quotas.admit(header.owner(), runId, 0);
        }
        RetryResult result;
        try {
            result = runId == null ? null : store.retry(runId, resolutions, clock.millis());
        } catch (RuntimeException e) {
            uncount(header, counted, runId);
            throw e;
        }
        if (result == null || result.invalid() || !result.accepted() || result.phasesReset() == 0) {
            uncount(header, counted, runId);
        }
        if (result == null) {
            throw new RunNotFoundException(runId);
        }
        if (result.invalid()) {
            throw new IllegalArgumentException(result.message());
        }
        if (!result.accepted()) {
            throw new IllegalStateException(result.message());
        }
        if (result.phasesReset() == 0) {
            throw new IllegalStateException("run " + runId + " has no FAILED, BLOCKED or CANCELLED phase: nothing to "
                    + "retry");
        }
        return get(runId);
    }

    /** Stored by {@link SetRunBudget}; the record's change wakes the polls, so a resumed run is leased at once. */
    @Override
    public RunView setBudget(String runId, long budgetTokens) {
        Boolean found = runId == null ? null : store.setBudget(runId, budgetTokens, clock.millis());
        if (found == null) {
            throw new RunNotFoundException(runId);
        }
        return get(runId);
    }

    // ------------------------------------------------------------------------------------------------ watch

    @Override
    public WatchHandle watch(String runId, RunWatch watch) {
        RunWatchSession w = new RunWatchSession(store, watchers, this::toView, runId, watch);
        w.listen();
        RunSummary snapshot = store.view(runId, true);
        if (snapshot == null) {
            w.abandon();
            throw new RunNotFoundException(runId);
        }
        w.start(snapshot);
        return w;
    }

    /** Stops the watch threads (open watches end without {@code onEnd}). */
    @Override
    public void close() {
        watchers.shutdownNow();
    }
}
